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
