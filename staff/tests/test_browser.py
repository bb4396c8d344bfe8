"""The core staff flows in a real Chromium against the live server.

The live server runs on the real clock, so data is built relative to now.
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from appointments import services
from clients.models import Case
from practicerunner import testing
from practices.models import PortalSettings

pytestmark = pytest.mark.browser


@pytest.fixture
def soon():
    """A whole hour three days from now."""
    now = timezone.now()
    return now.replace(minute=0, second=0, microsecond=0) + timedelta(days=3)


def _use_up(case, clinician, start, count=6):
    """Mark `count` sessions just before `start` as planned absences."""
    sessions = []
    for n in range(1, count + 1):
        sessions.append(
            testing.build_appointment(
                case,
                start - timedelta(hours=n),
                clinician=clinician,
                status="planned_absence",
            )
        )
    return sessions


def test_it_signs_in(sign_in, clinician, live_server):
    page = sign_in(clinician)

    expect(page.get_by_role("link", name="Schedule")).to_be_visible()
    expect(page.get_by_role("banner")).to_contain_text("Carl Clinician")


def test_it_saves_a_planned_absence_past_the_allowance_after_the_warning(
    sign_in, clinician, individual_case, soon, live_server
):
    _use_up(individual_case, clinician, soon)
    session = testing.build_appointment(individual_case, soon, clinician=clinician)
    year = soon.astimezone(individual_case.practice.zone).year
    page = sign_in(clinician)

    page.goto(f"{live_server.url}/appointments/{session.pk}/")
    page.get_by_role("combobox", name="Status").select_option(label="Planned absence")
    page.get_by_role("button", name="Save status").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"Alice: 6 of 6 planned absences in {year} already used."
    )
    page.get_by_role("button", name="Save anyway").click()

    expect(page.get_by_text("Status set to Planned absence.")).to_be_visible()
    history = page.locator("table.history")
    expect(history).to_contain_text("Shown, acknowledged")
    expect(history).to_contain_text(f"6 of 6 used in {year}")


def test_it_warns_for_a_group_member(sign_in, clinician, group_case, soon, live_server):
    for earlier in _use_up(group_case, clinician, soon):
        earlier.participants.filter(client__name="Member 2").update(
            status="planned_absence"
        )
    session = testing.build_appointment(group_case, soon, clinician=clinician)
    page = sign_in(clinician)

    page.goto(f"{live_server.url}/appointments/{session.pk}/")
    page.get_by_label("Status of Member 2").select_option(label="Planned absence")
    page.locator(
        "#participant-{}".format(session.participants.get(client__name="Member 2").pk)
    ).get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Member 2 in Thursday group: 6 of 6 planned absences"
    )
    page.get_by_role("button", name="Save anyway").click()

    expect(page.get_by_text("Member 2: status set to Planned absence.")).to_be_visible()


def test_it_edits_a_case_override_and_an_individual_policy(
    sign_in, clinician, individual_case, alice, live_server
):
    page = sign_in(clinician)

    page.goto(f"{live_server.url}/cases/{individual_case.pk}/")
    expect(page.get_by_text("Practice default (6)")).to_be_visible()
    page.get_by_label("Planned absences per calendar year").fill("3")
    page.get_by_role("button", name="Save allowance").click()
    expect(page.get_by_text("Alice now allows 3 planned absences")).to_be_visible()

    page.goto(f"{live_server.url}/clients/{alice.pk}/")
    policy = page.get_by_role(
        "region", name="Individual sessions: planned absence policy"
    )
    expect(policy).to_contain_text("does not apply to two-person, family, group")
    policy.get_by_label("Planned absences per calendar year").fill("0")
    policy.get_by_role("button", name="Save policy").click()

    expect(page.get_by_text("Alice Individual now allows 0 planned")).to_be_visible()
    assert Case.objects.get(pk=individual_case.pk).allowance_override == 0


def test_it_lets_the_owner_change_portal_settings(
    sign_in, owner, practice, live_server
):
    page = sign_in(owner)

    page.goto(f"{live_server.url}/settings/portal/")
    page.get_by_label("Default planned absences per calendar year").fill("8")
    page.get_by_label("Accept cancellation requests automatically").uncheck()
    page.get_by_role("button", name="Save settings").click()

    expect(page.get_by_text("Portal settings saved.")).to_be_visible()
    portal = PortalSettings.objects.get(practice=practice)
    assert (portal.default_allowance, portal.accept_automatically) == (8, False)


def test_it_keeps_portal_settings_read_only_for_a_clinician(
    sign_in, clinician, live_server
):
    page = sign_in(clinician)

    page.goto(f"{live_server.url}/settings/portal/")

    expect(page.get_by_text("Only the practice's owner can change")).to_be_visible()
    expect(page.get_by_role("button", name="Save settings")).to_have_count(0)


def test_it_accepts_and_declines_requests(
    sign_in,
    front_desk,
    practice,
    alice,
    couple,
    individual_case,
    couple_case,
    clinician,
    soon,
    live_server,
):
    PortalSettings.objects.filter(practice=practice).update(accept_automatically=False)
    alices = testing.build_appointment(individual_case, soon, clinician=clinician)
    couples = testing.build_appointment(
        couple_case, soon + timedelta(hours=2), clinician=clinician
    )
    now = timezone.now()
    services.request_cancellation(alice.portal_user, alices.pk, now=now)
    services.request_cancellation(couple[0].portal_user, couples.pk, now=now)
    page = sign_in(front_desk)

    page.get_by_role("link", name="Requests").click()
    first = page.locator("article.request").first
    expect(first).to_contain_text("Accepting now would make it Planned absence")
    first.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Accepted Alice Individual's request")).to_be_visible()
    remaining = page.locator("article.request")
    remaining.get_by_label("Message to the client (optional)").fill("Please call.")
    remaining.get_by_role("button", name="Decline").click()

    expect(page.get_by_text("Declined Bea Partner's request")).to_be_visible()
    expect(page.get_by_text("No requests waiting.")).to_be_visible()
    alices.refresh_from_db()
    assert alices.status == "planned_absence"


def test_it_previews_a_portal_cancellation(
    sign_in, front_desk, individual_case, clinician, soon, live_server
):
    session = testing.build_appointment(individual_case, soon, clinician=clinician)
    page = sign_in(front_desk)

    page.goto(f"{live_server.url}/appointments/{session.pk}/")

    panel = page.get_by_role("region", name="What would a portal cancellation do?")
    expect(panel).to_contain_text("Planned absence")
    expect(panel).to_contain_text("would use 1 of 6 planned absences")
    expect(panel).to_contain_text("5 will remain")
    expect(panel).to_contain_text("accepted at once")
    session.refresh_from_db()
    assert session.status == "scheduled"


def test_it_fits_the_main_pages_on_a_phone(
    sign_in,
    owner,
    browser_page,
    alice,
    individual_case,
    group_case,
    clinician,
    soon,
    live_server,
):
    """Nothing scrolls sideways at 375 px; SHOTS_DIR keeps screenshots."""
    _use_up(individual_case, clinician, soon, count=4)
    session = testing.build_appointment(individual_case, soon, clinician=clinician)
    group = testing.build_appointment(
        group_case, soon + timedelta(hours=1), clinician=clinician
    )
    PortalSettings.objects.filter(practice=alice.practice).update(
        accept_automatically=False
    )
    services.request_cancellation(alice.portal_user, session.pk, now=timezone.now())
    day = soon.astimezone(individual_case.practice.zone).date()
    pages = {
        "schedule": f"/schedule/?view=week&date={day}&clinician=all",
        "appointment": f"/appointments/{session.pk}/",
        "group": f"/appointments/{group.pk}/",
        "case": f"/cases/{individual_case.pk}/",
        "client": f"/clients/{alice.pk}/",
        "portal-settings": "/settings/portal/",
        "requests": "/requests/",
        "hours": f"/hours/{clinician.pk}/",
    }
    shots = os.environ.get("SHOTS_DIR")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        browser_page.set_viewport_size({"width": 375, "height": 700})
        browser_page.goto(live_server.url + "/accounts/login/")
        browser_page.screenshot(path=f"{shots}/login-375.png")
    page = sign_in(owner)

    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in pages.items():
            page.goto(live_server.url + path)
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{shots}/{name}-{width}.png", full_page=True)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 0, f"{name} scrolls sideways at {width} px"

        page.goto(f"{live_server.url}/appointments/{group.pk}/")
        page.get_by_role("combobox", name="Status of Member 1").select_option(
            label="Planned absence"
        )
        page.locator(
            "#participant-{}".format(group.participants.get(client__name="Member 1").pk)
        ).get_by_role("button", name="Save").click()
        page.goto(f"{live_server.url}/cases/{individual_case.pk}/")
        page.get_by_label("Planned absences per calendar year").fill("4")
        page.get_by_role("button", name="Save allowance").click()
        page.goto(f"{live_server.url}/appointments/{session.pk}/")
        page.get_by_role("combobox", name="Status").select_option(
            label="Planned absence"
        )
        page.get_by_role("button", name="Save status").click()
        expect(page.get_by_role("button", name="Save anyway")).to_be_visible()
        if shots:
            page.screenshot(path=f"{shots}/warning-{width}.png", full_page=True)
        page.goto(f"{live_server.url}/cases/{individual_case.pk}/")
        if shots:
            page.screenshot(path=f"{shots}/case-used-{width}.png", full_page=True)
