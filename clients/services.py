"""Changes staff make to clients and cases, other than statuses.

Each function takes the acting user, checks the actor's role and practice,
validates, and writes. Pages call these; none of them saves a case or a
client itself.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction

from appointments.services import NotAllowed, NotFound
from practices.models import StaffMember, StaffRole

from .models import Case, Client

logger = logging.getLogger(__name__)

# Who may change a case's planned absence allowance: a business decision,
# made by the owner or by the clinicians who run the case.
ALLOWANCE_ROLES = frozenset({StaffRole.OWNER, StaffRole.CLINICIAN})

# Who may correct a client's contact details.
CLIENT_EDIT_ROLES = frozenset(
    {StaffRole.OWNER, StaffRole.CLINICIAN, StaffRole.FRONT_DESK}
)


def _staff(actor, roles):
    staff = StaffMember.objects.filter(user=actor, user__is_active=True).first()
    if staff is None:
        raise NotAllowed("Only staff of the practice can do this.")
    if staff.role not in roles:
        raise NotAllowed("Your role cannot make this change.")
    return staff


def set_allowance_override(actor, case_id, value, *, now):
    """Set a case's planned absence allowance; None means the default.

    0 is a real allowance (no planned absences), not "unset".
    """
    staff = _staff(actor, ALLOWANCE_ROLES)

    with transaction.atomic():
        case = (
            Case.objects.select_for_update()
            .filter(pk=case_id, practice_id=staff.practice_id)
            .first()
        )
        if case is None:
            raise NotFound("Case not found.")
        case.allowance_override = value
        case.full_clean(validate_unique=False, validate_constraints=False)
        case.save(update_fields=["allowance_override"])

    logger.info(
        "Allowance override of case=%s set to %s by user=%s at=%s",
        case.pk,
        value,
        actor.pk,
        now.isoformat(),
    )
    return case


CONTACT_FIELDS = ("name", "email", "phone", "date_of_birth")


def update_client_details(actor, client_id, *, now, **details):
    """Change a client's name and contact details."""
    staff = _staff(actor, CLIENT_EDIT_ROLES)
    unknown = set(details) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown client fields: {sorted(unknown)}")

    with transaction.atomic():
        client = (
            Client.objects.select_for_update()
            .filter(pk=client_id, practice_id=staff.practice_id)
            .first()
        )
        if client is None:
            raise NotFound("Client not found.")
        for name, value in details.items():
            setattr(client, name, value)
        client.full_clean(validate_unique=False, validate_constraints=False)
        client.save(update_fields=list(details))

    logger.info("Client=%s details changed by user=%s", client.pk, actor.pk)
    return client
