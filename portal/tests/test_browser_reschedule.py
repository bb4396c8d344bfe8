"""Rescheduling and group absence notices in Chromium, at phone width."""

from datetime import UTC, datetime, time

import pytest

from appointments.models import ChangeKind, ParticipantStatus
from practicerunner import testing
from practices.models import WorkingHours

from .conftest import shoot

pytestmark = pytest.mark.browser

# Wednesday 10 March 2027, 10:00 in New York.
MARCH_10 = datetime(2027, 3, 10, 15, tzinfo=UTC)


def test_it_moves_a_session_to_a_free_slot(
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
    appointment = testing.build_appointment(
        individual_case, MARCH_10, clinician=clinician
    )
    page = portal_page(alice)

    page.get_by_role("link", name="Reschedule").click()
    page.get_by_role("group", name="Friday 5 March").wait_for()
    shoot(page, "reschedule", wide=True)
    page.locator('input[value="2027-03-05T15:00:00+00:00"]').check()
    page.get_by_role("button", name="Move my session").click()

    page.get_by_text("Your session has moved.").wait_for()
    page.get_by_text("Friday 5 March 2027, 10:00 AM").first.wait_for()
    shoot(page, "rescheduled")
    appointment.refresh_from_db()
    assert appointment.start == datetime(2027, 3, 5, 15, tzinfo=UTC)
    assert appointment.status_changes.get().kind == ChangeKind.RESCHEDULE


def test_it_lets_a_group_member_send_an_absence_notice(
    portal_page, group_members, group_case, clinician
):
    appointment = testing.build_appointment(group_case, MARCH_10, clinician=clinician)
    member = group_members[1]
    page = portal_page(member)

    assert page.get_by_role("link", name="Cancel", exact=True).count() == 0
    page.get_by_role("link", name="I can't attend").click()
    page.get_by_text(
        "This will use 1 of your 6 planned absences in this group for 2027; "
        "5 will remain."
    ).wait_for()
    shoot(page, "absence", wide=True)
    page.get_by_role("button", name="Let the practice know I can't attend").click()

    page.get_by_text(
        "Your attendance for this session: Planned absence (no fee)."
    ).wait_for()
    participant = appointment.participants.get(client=member)
    assert participant.status == ParticipantStatus.PLANNED_ABSENCE
    appointment.refresh_from_db()
    assert appointment.status == "scheduled"
