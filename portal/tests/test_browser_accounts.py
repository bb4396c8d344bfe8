"""From the staff profile's invitation to a signed-in client, in Chromium."""

import re

import pytest
from django.core import mail

from practicerunner import testing

from .conftest import shoot

pytestmark = pytest.mark.browser


def test_it_invites_sets_a_password_and_signs_in(
    sign_in, front_desk, practice, live_server
):
    erin = testing.build_client(practice, "Erin New", email="erin@example.test")
    page = sign_in(front_desk)

    page.goto(f"{live_server.url}/clients/{erin.pk}/")
    page.get_by_role("button", name="Invite to portal").click()
    page.get_by_text("Portal invitation sent to erin@example.test.").wait_for()
    link = re.search(r"https?://\S+/portal/set-password/\S+", mail.outbox[0].body)[0]

    page.context.clear_cookies()
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(link)
    page.get_by_label("New password", exact=True).fill("a-long-new-secret-42")
    page.get_by_label("New password confirmation").fill("a-long-new-secret-42")
    shoot(page, "set-password", wide=True)
    page.get_by_role("button", name="Set password").click()

    page.get_by_text("Your password is set. Please sign in.").wait_for()
    page.get_by_label("Email").fill("Erin@Example.test")
    page.get_by_label("Password").fill("a-long-new-secret-42")
    shoot(page, "sign-in", wide=True)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Your sessions").wait_for()
    page.get_by_text("You have no upcoming sessions.").wait_for()
