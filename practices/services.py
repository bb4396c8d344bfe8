"""Creating practices and their staff."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import BillingSettings, PortalSettings, Practice, StaffMember


@transaction.atomic
def create_practice(*, name, slug, time_zone, currency="USD", **portal_options):
    """Create a practice with its portal and billing settings."""
    practice = Practice(name=name, slug=slug, time_zone=time_zone, currency=currency)
    practice.full_clean()
    practice.save()

    portal = PortalSettings(practice=practice, **portal_options)
    portal.full_clean()
    portal.save()
    BillingSettings.objects.create(practice=practice)
    return practice


@transaction.atomic
def add_staff_member(practice, *, email, name, role, password=None):
    """Create a sign-in for a staff member of `practice`."""
    email = email.strip().lower()
    users = get_user_model().objects
    if users.filter(username=email).exists():
        raise ValidationError({"email": "Someone already signs in with this email."})

    first, _, last = name.partition(" ")
    user = users.create_user(
        username=email, email=email, password=password, first_name=first, last_name=last
    )
    member = StaffMember(practice=practice, user=user, role=role, display_name=name)
    member.full_clean()
    member.save()
    return member


# Settings and working hours, changed from the staff pages.

PORTAL_FIELDS = (
    "use_allowance",
    "default_allowance",
    "allow_cancellation_requests",
    "accept_automatically",
    "allow_rescheduling",
    "minimum_notice",
)
BILLING_FIELDS = ("canceled_by_client_keeps_fee", "no_show_keeps_fee")


def _acting_staff(actor, roles):
    from appointments.services import NotAllowed

    staff = (
        StaffMember.objects.select_related("practice")
        .filter(user=actor, user__is_active=True)
        .first()
    )
    if staff is None or staff.role not in roles:
        raise NotAllowed("Only the practice's owner can change this.")
    return staff


def _update(instance, fields, values):
    unknown = set(values) - set(fields)
    if unknown:
        raise ValidationError(f"Unknown settings: {sorted(unknown)}")
    for name, value in values.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save(update_fields=list(values))
    return instance


@transaction.atomic
def update_portal_settings(actor, **values):
    """Change the actor's practice's portal settings (owners only)."""
    from .models import StaffRole

    staff = _acting_staff(actor, {StaffRole.OWNER})
    portal = PortalSettings.objects.select_for_update().get(practice=staff.practice)
    return _update(portal, PORTAL_FIELDS, values)


@transaction.atomic
def update_billing_settings(actor, **values):
    """Change the actor's practice's billing settings (owners only)."""
    from .models import StaffRole

    staff = _acting_staff(actor, {StaffRole.OWNER})
    billing = BillingSettings.objects.select_for_update().get(practice=staff.practice)
    return _update(billing, BILLING_FIELDS, values)


def may_edit_working_hours(staff, clinician):
    """Owners edit everyone's hours; a clinician edits their own."""
    if staff.practice_id != clinician.practice_id:
        return False
    return staff.is_owner or staff.pk == clinician.pk


@transaction.atomic
def set_working_hours(actor, clinician_id, blocks):
    """Replace a clinician's weekly hours with `blocks`.

    `blocks` maps a weekday (0 is Monday) to a (starts_at, ends_at) pair of
    times; a weekday left out is a day off.
    """
    from appointments.services import NotAllowed, NotFound

    from .models import StaffRole, WorkingHours

    staff = _acting_staff(actor, set(StaffRole))
    clinician = StaffMember.objects.filter(
        pk=clinician_id, practice_id=staff.practice_id
    ).first()
    if clinician is None:
        raise NotFound("Clinician not found.")
    if not may_edit_working_hours(staff, clinician):
        raise NotAllowed("Only the owner or the clinician can change these hours.")

    rows = []
    for weekday, (starts_at, ends_at) in sorted(blocks.items()):
        row = WorkingHours(
            practice_id=staff.practice_id,
            clinician=clinician,
            weekday=weekday,
            starts_at=starts_at,
            ends_at=ends_at,
        )
        row.full_clean()
        rows.append(row)

    WorkingHours.objects.filter(clinician=clinician).delete()
    WorkingHours.objects.bulk_create(rows)
    return rows
