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
