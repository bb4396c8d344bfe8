import os
from datetime import UTC, datetime, time

import pytest
import time_machine

from practicerunner import testing
from practices.models import WorkingHours

# Browser tests run against a server whose clock is frozen at a moment after
# the real date, so the cookies Chromium receives are not already expired.
BROWSER_NOW = datetime(2027, 3, 1, 14, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_time(request, settings):
    """Freeze the clock at `now` (or BROWSER_NOW for browser tests)."""
    if request.node.get_closest_marker("browser"):
        settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
        with time_machine.travel(BROWSER_NOW, tick=True):
            yield BROWSER_NOW
        return
    moment = request.getfixturevalue("now")
    with time_machine.travel(moment, tick=False):
        yield moment


@pytest.fixture
def signed_in(client):
    """Sign a portal client in with Django's test client."""

    def sign_in_as(person):
        client.force_login(person.portal_user)
        return client

    return sign_in_as


@pytest.fixture
def book(clinician):
    """Book an appointment of a case at `when`, with Carl unless told."""

    def book_for(case, when, **options):
        options.setdefault("clinician", clinician)
        return testing.build_appointment(case, when, **options)

    return book_for


@pytest.fixture
def working_week(practice, clinician):
    """Carl works 9:00 to 12:00 on weekdays, in the practice's zone."""
    for weekday in range(5):
        WorkingHours.objects.create(
            practice=practice,
            clinician=clinician,
            weekday=weekday,
            starts_at=time(9),
            ends_at=time(12),
        )


# Where browser tests save screenshots; PORTAL_SHOTS chooses another folder.
SHOTS = os.environ.get("PORTAL_SHOTS", "/tmp/shots")


@pytest.fixture
def portal_page(browser_page, live_server):
    """Sign a portal client in through the portal's sign-in page at 360 px."""
    browser_page.set_viewport_size({"width": 360, "height": 780})

    def sign_in_as(person):
        page = browser_page
        page.context.clear_cookies()
        page.goto(live_server.url + "/portal/sign-in/")
        page.get_by_label("Email").fill(person.email)
        page.get_by_label("Password").fill(testing.PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="Your sessions").wait_for()
        return page

    return sign_in_as


def shoot(page, name, *, wide=False):
    """Save a full-page screenshot at 360 px (and 1280 px when `wide`)."""
    os.makedirs(SHOTS, exist_ok=True)
    size = page.viewport_size
    page.screenshot(path=f"{SHOTS}/{name}-360.png", full_page=True)
    if wide:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-1280.png", full_page=True)
        page.set_viewport_size(size)
