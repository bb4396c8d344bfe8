"""Cancelling in Chromium, at phone width."""

from datetime import UTC, datetime, timedelta

import pytest

from appointments import services
from appointments.models import AppointmentStatus
from practicerunner import testing

from .conftest import BROWSER_NOW, shoot

pytestmark = pytest.mark.browser

# Wednesday 10 March 2027, 10:00 in New York.
MARCH_10 = datetime(2027, 3, 10, 15, tzinfo=UTC)


def _use_planned_absences(case, count):
    for day in range(1, count + 1):
        testing.build_appointment(
            case,
            datetime(2027, 1, day, 15, tzinfo=UTC),
            clinician=case.clinicians.first(),
            status=AppointmentStatus.PLANNED_ABSENCE,
        )


def _open_cancel(page):
    page.get_by_role("link", name="Cancel", exact=True).click()
    page.get_by_role("heading", name="Cancel this session?").wait_for()


def test_it_cancels_with_allowance_remaining(portal_page, alice, individual_case):
    _use_planned_absences(individual_case, 2)
    appointment = testing.build_appointment(
        individual_case, MARCH_10, clinician=individual_case.clinicians.first()
    )
    page = portal_page(alice)
    shoot(page, "home", wide=True)

    _open_cancel(page)
    page.get_by_text(
        "This will use 1 of your 6 planned absences for 2027; 3 will remain."
    ).wait_for()
    shoot(page, "cancel-remaining", wide=True)
    page.get_by_role("button", name="Cancel this session").click()

    page.get_by_text("The session is now: Planned absence.").wait_for()
    shoot(page, "cancel-done")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.PLANNED_ABSENCE


def test_it_warns_past_the_allowance_and_offers_rescheduling(
    portal_page, alice, individual_case, practice
):
    practice.portal_settings.allow_rescheduling = True
    practice.portal_settings.save()
    _use_planned_absences(individual_case, 6)
    testing.build_appointment(
        individual_case, MARCH_10, clinician=individual_case.clinicians.first()
    )
    page = portal_page(alice)

    _open_cancel(page)

    page.get_by_text("You have used all 6 planned absences for 2027.").wait_for()
    page.get_by_text("you may have to pay the session fee of 120.00 USD").wait_for()
    shoot(page, "cancel-used-up", wide=True)
    page.get_by_role("link", name="Reschedule instead").click()
    page.get_by_role("heading", name="Move this session").wait_for()


def test_it_sends_a_request_that_staff_then_accept(
    portal_page, alice, individual_case, practice, owner
):
    practice.portal_settings.accept_automatically = False
    practice.portal_settings.save()
    appointment = testing.build_appointment(
        individual_case, MARCH_10, clinician=individual_case.clinicians.first()
    )
    page = portal_page(alice)

    _open_cancel(page)
    page.get_by_role("button", name="Ask to cancel").click()
    page.get_by_text("Your cancellation request was sent.").wait_for()
    page.get_by_text("Cancellation requested").first.wait_for()
    shoot(page, "request-sent")
    request = appointment.cancellation_requests.get()
    services.accept_request(owner.user, request.pk, now=BROWSER_NOW)
    page.goto(page.url)

    page.locator(".status strong", has_text="Planned absence").wait_for()


def test_it_shows_ben_the_result_bea_got(portal_page, couple, couple_case):
    bea, ben = couple
    testing.build_appointment(
        couple_case, MARCH_10, clinician=couple_case.clinicians.first()
    )
    page = portal_page(bea)
    _open_cancel(page)
    page.get_by_text("Everyone in this case shares the planned absences").wait_for()
    page.get_by_role("button", name="Cancel this session").click()
    page.get_by_text("The session is now: Planned absence.").wait_for()

    page = portal_page(ben)
    page.locator(".status strong", has_text="Planned absence").wait_for()
    page.get_by_role("link", name="Bea and Ben").first.click()

    page.get_by_text("1 of 6 used").wait_for()


def test_it_refuses_inside_the_minimum_notice(
    portal_page, alice, individual_case, practice, live_server
):
    """Home offers no Cancel; the page itself, opened anyway, refuses."""
    practice.phone = "+1 555 0100"
    practice.save()
    practice.portal_settings.minimum_notice = timedelta(hours=48)
    practice.portal_settings.save()
    appointment = testing.build_appointment(
        individual_case,
        BROWSER_NOW + timedelta(hours=20),
        clinician=individual_case.clinicians.first(),
    )
    page = portal_page(alice)
    page.get_by_text("Too close to the start to change online.").wait_for()
    assert page.get_by_role("link", name="Cancel", exact=True).count() == 0

    page.goto(f"{live_server.url}/portal/appointments/{appointment.pk}/cancel/")

    page.get_by_role("alert").get_by_text("too close to the start").wait_for()
    page.get_by_role("link", name="+1 555 0100").wait_for()
    shoot(page, "refusal-notice")
    assert page.get_by_role("button", name="Cancel this session").count() == 0


def test_it_refuses_a_cancelled_session_showing_its_status(
    portal_page, alice, individual_case, live_server
):
    appointment = testing.build_appointment(
        individual_case,
        MARCH_10,
        clinician=individual_case.clinicians.first(),
        status=AppointmentStatus.CANCELED_BY_PRACTICE,
    )
    page = portal_page(alice)

    page.goto(f"{live_server.url}/portal/appointments/{appointment.pk}/cancel/")

    page.get_by_text("This session is no longer scheduled.").wait_for()
    page.get_by_text("It is now: Canceled by practice.").wait_for()
