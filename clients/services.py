"""Changes staff make to clients and cases, other than statuses.

Each function takes the acting user, checks the actor's role and practice,
validates, and writes. Pages call these; none of them saves a case or a
client itself.
"""

import logging
from datetime import date

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

# No client now living was born earlier; an earlier date is a typing slip.
EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def _check_details(client, *, today):
    """Refuse a birth date outside 1900..today and another client's email.

    Two clients of one practice with one email would receive each other's
    mail and portal invitations, so the address must be theirs alone
    (compared without regard to case).
    """
    errors = {}
    born = client.date_of_birth
    if born is not None and born > today:
        errors["date_of_birth"] = "The date of birth cannot be in the future."
    elif born is not None and born < EARLIEST_BIRTH_DATE:
        errors["date_of_birth"] = (
            f"Enter a date of birth from {EARLIEST_BIRTH_DATE.year} on."
        )
    if client.email:
        other = (
            Client.objects.filter(
                practice_id=client.practice_id, email__iexact=client.email
            )
            .exclude(pk=client.pk)
            .first()
        )
        if other is not None:
            errors["email"] = f"{other.name} already uses this email address."
    if errors:
        raise ValidationError(errors)


def update_client_details(actor, client_id, *, now, **details):
    """Change a client's name and contact details.

    Raises ValidationError, keyed by field, for a value the practice cannot
    use; nothing is saved then.
    """
    staff = _staff(actor, CLIENT_EDIT_ROLES)
    unknown = set(details) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown client fields: {sorted(unknown)}")

    with transaction.atomic():
        client = (
            Client.objects.select_for_update(of=("self",))
            .select_related("practice")
            .filter(pk=client_id, practice_id=staff.practice_id)
            .first()
        )
        if client is None:
            raise NotFound("Client not found.")
        for name, value in details.items():
            setattr(client, name, value)
        client.full_clean(validate_unique=False, validate_constraints=False)
        _check_details(client, today=now.astimezone(client.practice.zone).date())
        client.save(update_fields=list(details))

    logger.info("Client=%s details changed by user=%s", client.pk, actor.pk)
    return client
