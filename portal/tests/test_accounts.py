"""Invitations, setting a password, signing in and out, password reset."""

import re

import pytest
from django.core import mail

from practicerunner import testing


@pytest.fixture
def erin(practice):
    """A client of the practice who is not yet in the portal."""
    return testing.build_client(practice, "Erin New", email="Erin.New@Example.test")


def _invite(client, staff, person, **data):
    client.force_login(staff.user)
    return client.post(f"/portal/invite/{person.pk}/", data)


def _link(message):
    return re.search(r"http://testserver(/portal/set-password/\S+)", message.body)[1]


def test_it_invites_a_client_and_returns_to_the_profile(client, front_desk, erin):
    response = _invite(client, front_desk, erin, next=f"/clients/{erin.pk}/")

    erin.refresh_from_db()
    assert erin.portal_user.username == "erin.new@example.test"
    assert not erin.portal_user.has_usable_password()
    assert response.status_code == 302
    assert response["Location"] == f"/clients/{erin.pk}/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["erin.new@example.test"]
    assert mail.outbox[0].subject == "Your Harbour Therapy client portal"
    assert "/portal/set-password/" in mail.outbox[0].body


def test_it_ignores_a_next_address_on_another_host(client, owner, erin):
    response = _invite(client, owner, erin, next="https://evil.example.test/")

    assert response["Location"] == f"/clients/{erin.pk}/"


def test_it_lets_erin_set_her_password_once_and_sign_in(client, owner, erin):
    _invite(client, owner, erin)
    client.logout()
    link = _link(mail.outbox[0])

    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "a-long-new-secret-42",
            "new_password2": "a-long-new-secret-42",
        },
    )
    again = client.get(link, follow=True)
    signed = client.post(
        "/portal/sign-in/",
        {"username": "ERIN.NEW@example.test", "password": "a-long-new-secret-42"},
    )

    assert "This link has expired or was already used." in again.content.decode()
    assert signed.status_code == 302
    assert signed["Location"] == "/portal/"


def test_it_answers_404_for_a_client_of_another_practice(client, outsider, erin):
    response = _invite(client, outsider, erin)

    assert response.status_code == 404
    erin.refresh_from_db()
    assert erin.portal_user is None
    assert mail.outbox == []


def test_it_forbids_a_biller_to_invite(client, biller, erin):
    response = _invite(client, biller, erin)

    assert response.status_code == 403
    assert mail.outbox == []


def test_it_answers_404_to_a_portal_client(client, alice, erin):
    client.force_login(alice.portal_user)

    assert client.post(f"/portal/invite/{erin.pk}/").status_code == 404


def test_it_refuses_an_email_that_staff_sign_in_with(client, owner, practice):
    taken = testing.build_client(practice, "Twin", email=owner.user.email)

    response = _invite(client, owner, taken)

    taken.refresh_from_db()
    assert taken.portal_user is None
    assert response.status_code == 302
    assert mail.outbox == []


def test_it_only_invites_on_post(client, owner, erin):
    client.force_login(owner.user)

    assert client.get(f"/portal/invite/{erin.pk}/").status_code == 405


def test_it_refuses_staff_at_the_portal_sign_in(client, owner):
    response = client.post(
        "/portal/sign-in/",
        {"username": owner.user.email, "password": testing.PASSWORD},
    )

    assert "do not match a portal account" in response.content.decode()


def test_it_signs_out(client, alice):
    client.force_login(alice.portal_user)

    response = client.post("/portal/sign-out/")

    assert response["Location"] == "/portal/sign-in/"
    assert client.get("/portal/").status_code == 302


def test_it_emails_a_reset_link_to_portal_clients_only(client, alice, owner):
    client.post("/portal/password-reset/", {"email": alice.email})
    client.post("/portal/password-reset/", {"email": owner.user.email})

    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert mail.outbox[0].subject == "Reset your client portal password"
    assert "/portal/set-password/" in mail.outbox[0].body
