import os
import shutil
from datetime import UTC, datetime

import pytest
from django.db import connection, connections

from clients.models import CaseKind
from practicerunner import testing
from practices.models import StaffRole

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    on_postgres = connection.vendor == "postgresql"
    if os.environ.get("REQUIRE_POSTGRES") == "1" and not on_postgres:
        raise pytest.UsageError("REQUIRE_POSTGRES=1 but DATABASE_URL is not PostgreSQL")
    skip_pg = pytest.mark.skip(
        reason="needs PostgreSQL row locks; this run is on SQLite"
    )
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)


def pytest_terminal_summary(terminalreporter):
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        name = f"PostgreSQL ({settings['HOST'] or 'socket'}:{settings['PORT']})"
    else:
        name = f"SQLite ({connection.vendor})"
    terminalreporter.write_line(f"PracticeRunner tests ran on: {name}")
    browsers = "Chromium at " + CHROMIUM if browser_available() else "none found"
    terminalreporter.write_line(f"Browser for browser tests: {browsers}")


def browser_available():
    return shutil.which(CHROMIUM) is not None


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def now():
    return datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def practice(db):
    return testing.build_practice()


@pytest.fixture
def other_practice(db):
    return testing.build_practice(slug="elsewhere", time_zone="Europe/Lisbon")


@pytest.fixture
def owner(practice):
    return testing.build_staff(practice, StaffRole.OWNER, name="Olivia Owner")


@pytest.fixture
def clinician(practice):
    return testing.build_staff(practice, StaffRole.CLINICIAN, name="Carl Clinician")


@pytest.fixture
def front_desk(practice):
    return testing.build_staff(practice, StaffRole.FRONT_DESK, name="Fran Desk")


@pytest.fixture
def biller(practice):
    return testing.build_staff(practice, StaffRole.BILLER, name="Bill Biller")


@pytest.fixture
def outsider(other_practice):
    """A clinician of another practice."""
    return testing.build_staff(other_practice, StaffRole.CLINICIAN, name="Otto Out")


@pytest.fixture
def alice(practice):
    """A portal client with an individual case."""
    return testing.build_client(practice, "Alice Individual", portal=True)


@pytest.fixture
def individual_case(practice, alice, clinician):
    return testing.build_case(
        practice, CaseKind.INDIVIDUAL, [alice], title="Alice", clinicians=[clinician]
    )


@pytest.fixture
def couple(practice):
    return (
        testing.build_client(practice, "Bea Partner", portal=True),
        testing.build_client(practice, "Ben Partner", portal=True),
    )


@pytest.fixture
def couple_case(practice, couple, clinician):
    return testing.build_case(
        practice,
        CaseKind.TWO_PERSON,
        couple,
        title="Bea and Ben",
        clinicians=[clinician],
    )


@pytest.fixture
def group_members(practice):
    return [
        testing.build_client(practice, f"Member {n}", portal=True) for n in range(1, 4)
    ]


@pytest.fixture
def group_case(practice, group_members, clinician):
    return testing.build_case(
        practice,
        CaseKind.GROUP,
        group_members,
        title="Thursday group",
        clinicians=[clinician],
    )


@pytest.fixture
def require_browser():
    if browser_available():
        return CHROMIUM
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but no Chromium at {CHROMIUM}")
    pytest.skip(f"no Chromium at {CHROMIUM}: browser tests not run")


@pytest.fixture
def browser_page(require_browser, live_server):
    """A Playwright page in the system Chromium, with `live_server` running.

    Playwright's sync API runs an event loop in this thread, so Django's
    guard against ORM calls from async contexts is relaxed for these tests.
    """
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=require_browser,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(10_000)
        try:
            yield page
        finally:
            # Playwright runs the test in a greenlet of its own, where Django
            # opened connections pytest-django does not know about.
            connections.close_all()
            browser.close()
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def sign_in(browser_page, live_server):
    """Sign a staff member in through the real sign-in page."""

    def sign_in_as(staff_member):
        page = browser_page
        page.goto(live_server.url + "/accounts/login/")  # staff sign-in
        page.get_by_label("Email").fill(staff_member.user.username)
        page.get_by_label("Password").fill(testing.PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        return page

    return sign_in_as
