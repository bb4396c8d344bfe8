"""Every staff URL: sign-in required, 404 outside the practice."""

import pytest
from django.urls import reverse

from appointments import services
from practices.models import PortalSettings

from .conftest import NOW

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def objects(practice, alice, session, group_session, clinician):
    PortalSettings.objects.filter(practice=practice).update(accept_automatically=False)
    request = services.request_cancellation(alice.portal_user, session.pk, now=NOW)
    participant = group_session.participants.first()
    return {
        "appointment": session.pk,
        "participant": (group_session.pk, participant.pk),
        "case": session.case_id,
        "client": alice.pk,
        "clinician": clinician.pk,
        "request": request.request.pk,
    }


# (URL name, which object it names, method)
OBJECT_URLS = [
    ("appointment", "appointment", "get"),
    ("appointment_status", "appointment", "post"),
    ("participant_status", "participant", "post"),
    ("case", "case", "get"),
    ("case_allowance", "case", "post"),
    ("client", "client", "get"),
    ("client_edit", "client", "get"),
    ("client_policy", "client", "post"),
    ("hours", "clinician", "get"),
    ("request_accept", "request", "post"),
    ("request_decline", "request", "post"),
]

PLAIN_URLS = [
    ("home", "get"),
    ("schedule", "get"),
    ("bulk_status", "post"),
    ("appointment_create", "get"),
    ("cases", "get"),
    ("clients", "get"),
    ("portal_settings", "get"),
    ("billing_settings", "get"),
    ("hours_list", "get"),
    ("requests", "get"),
    ("password_change", "get"),
]


def _url(name, objects, kind):
    args = objects[kind]
    return reverse(f"staff:{name}", args=args if isinstance(args, tuple) else [args])


@pytest.mark.parametrize(("name", "kind", "method"), OBJECT_URLS)
def test_it_answers_404_to_another_practices_staff(
    signed_in, outsider, objects, name, kind, method
):
    browser = signed_in(outsider)

    response = getattr(browser, method)(_url(name, objects, kind))

    assert response.status_code == 404


@pytest.mark.parametrize(("name", "kind", "method"), OBJECT_URLS)
def test_it_sends_anonymous_visitors_to_sign_in(client, objects, name, kind, method):
    response = getattr(client, method)(_url(name, objects, kind))

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize(("name", "method"), PLAIN_URLS)
def test_it_sends_anonymous_visitors_of_lists_to_sign_in(client, name, method):
    response = getattr(client, method)(reverse(f"staff:{name}"))

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize(
    "name",
    ["schedule", "cases", "clients", "hours_list", "requests"],
)
def test_it_shows_another_practices_staff_nothing_of_ours(
    signed_in, outsider, objects, name
):
    response = signed_in(outsider).get(reverse(f"staff:{name}") + "?clinician=all")

    page = response.content.decode()
    assert response.status_code == 200
    for ours in ("Alice", "Thursday group", "Carl Clinician"):
        assert ours not in page


def test_it_refuses_a_portal_client_the_staff_pages(client, alice):
    client.force_login(alice.portal_user)

    response = client.get(reverse("staff:schedule"))

    assert response.status_code == 403


# (URL name, which object it names, a role that may not act, form data)
REFUSED = [
    ("appointment_status", "appointment", "biller", {"status": "attended"}),
    ("participant_status", "participant", "biller", {"status": "attended"}),
    ("case_allowance", "case", "front_desk", {"allowance": "2"}),
    ("client_policy", "client", "biller", {"allowance": "2"}),
    ("client_edit", "client", "biller", {"name": "Someone"}),
    ("hours", "clinician", "front_desk", {}),
    ("request_accept", "request", "biller", {}),
    ("request_decline", "request", "biller", {}),
]


@pytest.mark.parametrize(("name", "kind", "role", "data"), REFUSED)
def test_it_refuses_a_role_that_may_not_act(
    request, signed_in, objects, name, kind, role, data
):
    staff_member = request.getfixturevalue(role)

    response = signed_in(staff_member).post(_url(name, objects, kind), data)

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bulk_status", {"status": "attended"}),
        ("appointment_create", {}),
        ("portal_settings", {"default_allowance": "1"}),
        ("billing_settings", {}),
    ],
)
def test_it_refuses_plain_urls_to_a_role_that_may_not_act(
    signed_in, biller, name, data
):
    response = signed_in(biller).post(reverse(f"staff:{name}"), data)

    assert response.status_code == 403
