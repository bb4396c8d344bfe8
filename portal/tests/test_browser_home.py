"""Home and the session page in Chromium, at phone width."""

from datetime import UTC, datetime, time, timedelta

import pytest

from appointments import services
from appointments.models import AppointmentStatus, ParticipantStatus
from practicerunner import testing
from practices.models import WorkingHours

from .conftest import BROWSER_NOW, shoot

pytestmark = pytest.mark.browser

# Wednesday 10 March 2027, 10:00 in New York.
MARCH_10 = datetime(2027, 3, 10, 15, tzinfo=UTC)


def test_it_lists_waiting_requests_on_home_with_withdraw(
    portal_page, alice, individual_case, practice, clinician
):
    practice.portal_settings.accept_automatically = False
    practice.portal_settings.save()
    appointment = testing.build_appointment(
        individual_case, MARCH_10, clinician=clinician
    )
    services.request_cancellation(alice.portal_user, appointment.pk, now=BROWSER_NOW)
    page = portal_page(alice)

    page.get_by_role("heading", name="Waiting for the practice").wait_for()
    page.get_by_text("Wednesday 10 March 2027, 10:00 AM EST").first.wait_for()
    shoot(page, "home-pending", wide=True)
    page.get_by_role("button", name="Withdraw request").click()

    page.get_by_text("Your request is withdrawn.").wait_for()
    assert appointment.cancellation_requests.get().state == "withdrawn"


def test_it_says_why_a_session_today_cannot_be_changed(
    portal_page, group_members, group_case, practice, clinician
):
    practice.phone = "+1 555 0100"
    practice.save()
    practice.portal_settings.minimum_notice = timedelta(hours=24)
    practice.portal_settings.save()
    # Today at 1:00 PM in New York, and one next week.
    testing.build_appointment(
        group_case, BROWSER_NOW + timedelta(hours=4), clinician=clinician
    )
    testing.build_appointment(group_case, MARCH_10, clinician=clinician)
    page = portal_page(group_members[0])

    page.get_by_text("Monday 1 March 2027, 1:00 PM EST").wait_for()
    page.get_by_text("Too close to the start to change online.").wait_for()
    shoot(page, "home-too-close", wide=True)
    assert page.get_by_role("link", name="I can't attend").count() == 1


def test_it_explains_a_couples_cancellation_without_an_allowance(
    portal_page, couple, couple_case, practice, clinician
):
    settings = practice.portal_settings
    settings.use_allowance = False
    settings.allow_rescheduling = True
    settings.save()
    testing.build_appointment(couple_case, MARCH_10, clinician=clinician)
    page = portal_page(couple[0])

    page.get_by_role("link", name="Cancel", exact=True).click()

    page.get_by_text(
        "The session will be marked Canceled by client, and you may have to pay "
        "the session fee of 120.00 USD."
    ).wait_for()
    page.get_by_role("link", name="Reschedule instead").wait_for()
    shoot(page, "cancel-allowance-off", wide=True)
    assert page.get_by_text("planned absence").count() == 0


def test_it_shows_the_practices_answer_to_a_declined_request(
    portal_page, alice, individual_case, practice, clinician, front_desk
):
    practice.portal_settings.accept_automatically = False
    practice.portal_settings.save()
    individual_case.allowance_override = 2
    individual_case.save()
    for day in range(1, 8):
        testing.build_appointment(
            individual_case,
            datetime(2027, 1, day, 15, tzinfo=UTC),
            clinician=clinician,
            status=AppointmentStatus.PLANNED_ABSENCE,
        )
    appointment = testing.build_appointment(
        individual_case, MARCH_10, clinician=clinician
    )
    outcome = services.request_cancellation(
        alice.portal_user, appointment.pk, now=BROWSER_NOW
    )
    services.decline_request(
        front_desk.user,
        outcome.request.pk,
        now=BROWSER_NOW,
        message="Please call us about this week.",
    )
    page = portal_page(alice)

    page.get_by_role("link", name="Wednesday 10 March 2027").first.click()

    page.get_by_text("Please call us about this week.").wait_for()
    page.get_by_text(
        "All 2 planned absences for 2027 are used (7 recorded)."
    ).wait_for()
    shoot(page, "session-declined", wide=True)


def test_it_tells_a_member_they_already_said_they_cannot_attend(
    portal_page, group_members, group_case, clinician, live_server
):
    appointment = testing.build_appointment(group_case, MARCH_10, clinician=clinician)
    appointment.participants.filter(client=group_members[0]).update(
        status=ParticipantStatus.ABSENT
    )
    page = portal_page(group_members[0])
    page.locator(".status strong", has_text="Absent (without notice)").wait_for()

    page.goto(f"{live_server.url}/portal/appointments/{appointment.pk}/absence/")

    page.get_by_text(
        "You have already told the practice you can't attend this session."
    ).wait_for()
    shoot(page, "already-absent")


def test_it_offers_half_hour_starts(
    portal_page, alice, individual_case, practice, clinician
):
    practice.portal_settings.allow_rescheduling = True
    practice.portal_settings.save()
    WorkingHours.objects.create(
        practice=practice,
        clinician=clinician,
        weekday=4,
        starts_at=time(9),
        ends_at=time(12),
    )
    testing.build_appointment(individual_case, MARCH_10, clinician=clinician)
    page = portal_page(alice)

    page.get_by_role("link", name="Reschedule").click()

    day = page.get_by_role("group", name="Friday 5 March")
    day.get_by_text("9:30 AM").wait_for()
    labels = day.locator("label.slot").all_inner_texts()
    assert [label.strip() for label in labels] == [
        "9:00 AM",
        "9:30 AM",
        "10:00 AM",
        "10:30 AM",
        "11:00 AM",
    ]
    shoot(page, "reschedule-half-hours", wide=True)
