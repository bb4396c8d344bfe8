import pytest
from django.urls import reverse

from practicerunner import testing

pytestmark = pytest.mark.usefixtures("frozen")


def test_it_signs_in_and_lands_on_the_schedule(client, clinician):
    response = client.post(
        reverse("staff:login"),
        {"username": clinician.user.username, "password": testing.PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("staff:schedule")
    assert "Carl Clinician" in response.content.decode()


def test_it_shows_an_error_for_a_wrong_password(client, clinician):
    response = client.post(
        reverse("staff:login"),
        {"username": clinician.user.username, "password": "wrong"},
    )

    assert "Please enter a correct username and password" in response.content.decode()


def test_it_signs_out(signed_in, clinician):
    browser = signed_in(clinician)

    browser.post(reverse("staff:logout"))

    assert browser.get(reverse("staff:schedule")).status_code == 302


def test_it_changes_the_password(signed_in, clinician):
    response = signed_in(clinician).post(
        reverse("staff:password_change"),
        {
            "old_password": testing.PASSWORD,
            "new_password1": "a-new-long-passphrase-9",
            "new_password2": "a-new-long-passphrase-9",
        },
        follow=True,
    )

    clinician.user.refresh_from_db()
    assert clinician.user.check_password("a-new-long-passphrase-9")
    assert "Your password was changed." in response.content.decode()


def test_it_refuses_a_portal_client_and_points_to_the_portal(client, alice):
    response = client.post(
        reverse("staff:login"),
        {"username": alice.portal_user.username, "password": testing.PASSWORD},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "belong to a client&#x27;s portal account." in page
    assert 'href="/portal/sign-in/"' in page
    assert "_auth_user_id" not in client.session


def test_it_takes_the_email_in_any_case(client, clinician):
    typed = f" {clinician.user.username.upper()} "

    response = client.post(
        reverse("staff:login"), {"username": typed, "password": testing.PASSWORD}
    )

    assert response.status_code == 302


def test_it_explains_a_refusal_in_plain_words(signed_in, biller, session):
    response = signed_in(biller).post(
        reverse("staff:appointment_status", args=[session.pk]), {"status": "attended"}
    )

    page = response.content.decode()
    assert response.status_code == 403
    assert "You can't open this page" in page
    assert "Your role cannot change appointment statuses." in page
    assert "Back to the schedule" in page


def test_it_sends_a_signed_in_portal_client_to_the_portal(client, alice):
    client.force_login(alice.portal_user)

    response = client.get(reverse("staff:schedule"))

    page = response.content.decode()
    assert response.status_code == 403
    assert "this sign-in is not a staff member's" in page
    assert 'href="/portal/"' in page


def test_it_confirms_the_sign_out(signed_in, clinician):
    browser = signed_in(clinician)

    response = browser.post(reverse("staff:logout"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("staff:login")
    assert "You are signed out." in response.content.decode()


def test_it_links_an_icon(client):
    response = client.get(reverse("staff:login"))

    assert 'rel="icon" href="/static/staff/favicon.svg"' in response.content.decode()
