from datetime import timedelta

import pytest
from django.urls import reverse

from practices.models import BillingSettings, PortalSettings

pytestmark = pytest.mark.usefixtures("frozen")

PORTAL = {
    "use_allowance": "on",
    "default_allowance": "4",
    "allow_cancellation_requests": "on",
    "allow_rescheduling": "on",
    "minimum_notice_hours": "24",
}


def test_it_lets_the_owner_change_portal_settings(signed_in, owner, practice):
    response = signed_in(owner).post(
        reverse("staff:portal_settings"), PORTAL, follow=True
    )

    portal = PortalSettings.objects.get(practice=practice)
    assert portal.default_allowance == 4
    assert portal.minimum_notice == timedelta(hours=24)
    assert not portal.accept_automatically
    assert "Portal settings saved." in response.content.decode()


def test_it_shows_an_error_next_to_a_bad_default(signed_in, owner, practice):
    response = signed_in(owner).post(
        reverse("staff:portal_settings"), PORTAL | {"default_allowance": "99"}
    )

    assert "less than or equal to 52" in response.content.decode()
    assert PortalSettings.objects.get(practice=practice).default_allowance == 6


@pytest.mark.parametrize("name", ["portal_settings", "billing_settings"])
def test_it_shows_settings_read_only_to_a_clinician(signed_in, clinician, name):
    response = signed_in(clinician).get(reverse(f"staff:{name}"))

    page = response.content.decode()
    assert "Only the practice's owner can change these settings." in page
    assert "Save settings" not in page


@pytest.mark.parametrize("name", ["portal_settings", "billing_settings"])
def test_it_refuses_a_clinicians_change(signed_in, clinician, name, practice):
    response = signed_in(clinician).post(reverse(f"staff:{name}"), PORTAL)

    assert response.status_code == 403
    assert PortalSettings.objects.get(practice=practice).default_allowance == 6


def test_it_lets_the_owner_change_billing_settings(signed_in, owner, practice):
    response = signed_in(owner).post(
        reverse("staff:billing_settings"), {"no_show_keeps_fee": "on"}, follow=True
    )

    billing = BillingSettings.objects.get(practice=practice)
    assert not billing.canceled_by_client_keeps_fee
    assert billing.no_show_keeps_fee
    assert "Billing settings saved." in response.content.decode()


def test_it_changes_only_the_owners_practice(signed_in, outsider, owner, practice):
    from practicerunner import testing
    from practices.models import StaffRole

    other_owner = testing.build_staff(
        outsider.practice, StaffRole.OWNER, name="Oona Other"
    )

    signed_in(other_owner).post(reverse("staff:portal_settings"), PORTAL)

    assert PortalSettings.objects.get(practice=practice).default_allowance == 6
    assert PortalSettings.objects.get(practice=outsider.practice).default_allowance == 4


def test_it_limits_the_default_in_the_browser_too(signed_in, owner):
    response = signed_in(owner).get(reverse("staff:portal_settings"))

    page = response.content.decode()
    field = page[page.index('name="default_allowance"') :]
    assert 'max="52"' in field[: field.index(">")]


def test_it_rerenders_an_invalid_form_with_200(signed_in, owner, practice):
    response = signed_in(owner).post(
        reverse("staff:portal_settings"), PORTAL | {"default_allowance": "53"}
    )

    assert response.status_code == 200
    assert "less than or equal to 52" in response.content.decode()
    assert PortalSettings.objects.get(practice=practice).default_allowance == 6
