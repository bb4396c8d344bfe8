"""Moving a session to a free slot of the same clinician."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail

from appointments import rescheduling
from appointments.models import (
    AppointmentStatus,
    ChangeKind,
    Channel,
    StatusChange,
)

# Wednesday 10 June 2026, 11:00 in New York.
JUNE_10 = datetime(2026, 6, 10, 15, tzinfo=UTC)
# Friday 12 June 2026, 10:00 in New York: inside Carl's working hours.
JUNE_12_TEN = datetime(2026, 6, 12, 14, tzinfo=UTC)


@pytest.fixture(autouse=True)
def rescheduling_on(practice):
    practice.portal_settings.allow_rescheduling = True
    practice.portal_settings.save()


def _move(client, appointment, start, expected=None):
    return client.post(
        f"/portal/appointments/{appointment.pk}/reschedule/",
        {
            "start": start.isoformat(),
            "expected_start": (expected or appointment.start).isoformat(),
        },
        follow=True,
    )


def test_it_offers_free_slots_in_the_practice_zone(
    signed_in, alice, individual_case, book, working_week, clinician
):
    appointment = book(individual_case, JUNE_10)
    book(individual_case, JUNE_12_TEN)

    page = signed_in(alice).get(f"/portal/appointments/{appointment.pk}/reschedule/")

    text = page.content.decode()
    assert "Friday 12 June" in text
    assert 'value="2026-06-12T13:00:00+00:00"' in text  # 9:00 AM EDT
    assert 'value="2026-06-12T14:00:00+00:00"' not in text  # Carl is busy
    assert "9:00 AM" in text
    assert "it uses no planned absence and has no fee" in text


def test_it_moves_the_session_and_records_a_reschedule(
    signed_in,
    alice,
    individual_case,
    book,
    working_week,
    django_capture_on_commit_callbacks,
):
    appointment = book(individual_case, JUNE_10)

    with django_capture_on_commit_callbacks(execute=True):
        response = _move(signed_in(alice), appointment, JUNE_12_TEN)

    appointment.refresh_from_db()
    assert appointment.start == JUNE_12_TEN
    assert appointment.end == JUNE_12_TEN + timedelta(minutes=50)
    assert appointment.status == AppointmentStatus.SCHEDULED
    change = StatusChange.objects.get(appointment=appointment)
    assert change.kind == ChangeKind.RESCHEDULE
    assert (change.from_start, change.to_start) == (JUNE_10, JUNE_12_TEN)
    assert change.channel == Channel.PORTAL
    assert change.used is None
    assert "Your session has moved." in response.content.decode()
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Session moved", [alice.email]),
        ("[Harbour Therapy] Session moved", ["clinician.harbour@example.test"]),
    ]
    for message in mail.outbox:
        assert "Wednesday 10 June 2026, 11:00 AM EDT (America/New_York)" in message.body
        assert "Friday 12 June 2026, 10:00 AM EDT (America/New_York)" in message.body


def test_it_changes_nothing_when_the_slot_was_taken_meanwhile(
    signed_in, alice, individual_case, book, working_week, couple_case
):
    appointment = book(individual_case, JUNE_10)
    client = signed_in(alice)
    client.get(f"/portal/appointments/{appointment.pk}/reschedule/")
    book(couple_case, JUNE_12_TEN)

    response = _move(client, appointment, JUNE_12_TEN)

    assert response.status_code == 409
    assert "that time is no longer free" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.start == JUNE_10
    assert not StatusChange.objects.exists()
    assert mail.outbox == []


def test_it_changes_nothing_for_a_stale_form(
    signed_in,
    alice,
    individual_case,
    book,
    working_week,
    django_capture_on_commit_callbacks,
):
    appointment = book(individual_case, JUNE_10)
    client = signed_in(alice)
    with django_capture_on_commit_callbacks(execute=True):
        _move(client, appointment, JUNE_12_TEN)

    with django_capture_on_commit_callbacks(execute=True):
        response = _move(client, appointment, JUNE_12_TEN + timedelta(hours=1), JUNE_10)

    assert "This session changed after you opened the page" in (
        response.content.decode()
    )
    appointment.refresh_from_db()
    assert appointment.start == JUNE_12_TEN
    assert StatusChange.objects.count() == 1
    assert len(mail.outbox) == 2  # the first move only: Alice and Carl


def test_it_changes_nothing_for_a_cancelled_session(
    signed_in, alice, individual_case, book, working_week
):
    appointment = book(
        individual_case, JUNE_10, status=AppointmentStatus.CANCELED_BY_PRACTICE
    )

    response = _move(signed_in(alice), appointment, JUNE_12_TEN)

    assert response.status_code == 409
    appointment.refresh_from_db()
    assert appointment.start == JUNE_10


def test_it_applies_the_minimum_notice_to_the_original_time(
    signed_in, alice, individual_case, book, working_week, practice, now
):
    practice.portal_settings.minimum_notice = timedelta(hours=48)
    practice.portal_settings.save()
    appointment = book(individual_case, now + timedelta(hours=24))

    page = signed_in(alice).get(f"/portal/appointments/{appointment.pk}/reschedule/")
    response = _move(signed_in(alice), appointment, JUNE_12_TEN)

    assert "too close to the start" in page.content.decode()
    assert response.status_code == 409
    appointment.refresh_from_db()
    assert appointment.start == now + timedelta(hours=24)


def test_it_refuses_when_rescheduling_is_off(
    signed_in, alice, individual_case, book, working_week, practice
):
    practice.portal_settings.allow_rescheduling = False
    practice.portal_settings.save()
    appointment = book(individual_case, JUNE_10)

    page = signed_in(alice).get(f"/portal/appointments/{appointment.pk}/reschedule/")
    response = _move(signed_in(alice), appointment, JUNE_12_TEN)

    assert "does not take reschedules in the portal" in page.content.decode()
    assert response.status_code == 409
    appointment.refresh_from_db()
    assert appointment.start == JUNE_10


def test_it_refuses_to_move_a_group_session(
    signed_in, group_members, group_case, book, working_week
):
    appointment = book(group_case, JUNE_10)

    response = _move(signed_in(group_members[0]), appointment, JUNE_12_TEN)

    assert "A group session cannot be moved by one member." in (
        response.content.decode()
    )
    appointment.refresh_from_db()
    assert appointment.start == JUNE_10


def test_it_refuses_a_time_outside_working_hours(
    signed_in, alice, individual_case, book, working_week
):
    appointment = book(individual_case, JUNE_10)

    response = _move(signed_in(alice), appointment, JUNE_12_TEN + timedelta(hours=8))

    assert response.status_code == 409
    appointment.refresh_from_db()
    assert appointment.start == JUNE_10


def test_it_lays_slots_on_a_half_hour_grid():
    """Every half hour that fits in the block and misses busy times."""
    hours = [(0, time(9), time(11))]
    busy = [
        (datetime(2026, 6, 1, 10, tzinfo=UTC), datetime(2026, 6, 1, 11, tzinfo=UTC))
    ]

    starts = rescheduling.slot_starts(
        hours,
        busy,
        zone=UTC,
        first_day=datetime(2026, 6, 1).date(),
        last_day=datetime(2026, 6, 8).date(),
        duration=timedelta(minutes=50),
        earliest=datetime(2026, 6, 1, 8, tzinfo=UTC),
    )

    assert starts == [
        datetime(2026, 6, 1, 9, tzinfo=UTC),
        datetime(2026, 6, 8, 9, tzinfo=UTC),
        datetime(2026, 6, 8, 9, 30, tzinfo=UTC),
        datetime(2026, 6, 8, 10, tzinfo=UTC),
    ]


def test_it_starts_slots_on_the_clock_half_hour():
    """A block from 9:15 offers 9:30 first; the last slot ends by 11:00."""
    for duration, expected in [
        (timedelta(minutes=50), [time(9, 30), time(10)]),
        (timedelta(minutes=90), [time(9, 30)]),
        (timedelta(minutes=30), [time(9, 30), time(10), time(10, 30)]),
    ]:
        starts = rescheduling.slot_starts(
            [(0, time(9, 15), time(11))],
            [],
            zone=UTC,
            first_day=datetime(2026, 6, 1).date(),
            last_day=datetime(2026, 6, 1).date(),
            duration=duration,
            earliest=datetime(2026, 6, 1, 8, tzinfo=UTC),
        )

        assert [start.time() for start in starts] == expected, duration


def test_it_offers_half_hours_of_a_free_day(
    signed_in, alice, individual_case, book, working_week, couple_case
):
    """Busy = Scheduled, Attended, No-show; a cancelled session frees its time."""
    appointment = book(individual_case, JUNE_10)
    book(couple_case, JUNE_12_TEN)  # Friday 10:00 to 10:50, scheduled
    book(
        couple_case,
        JUNE_12_TEN - timedelta(days=3),  # Tuesday 10:00, cancelled
        status=AppointmentStatus.CANCELED_BY_PRACTICE,
    )

    page = signed_in(alice).get(f"/portal/appointments/{appointment.pk}/reschedule/")

    text = page.content.decode()
    tuesday = ["13:00", "13:30", "14:00", "14:30", "15:00"]  # 9:00 to 11:00 EDT
    for start in tuesday:
        assert f'value="2026-06-09T{start}:00+00:00"' in text, start
    assert 'value="2026-06-09T15:30:00+00:00"' not in text  # would end 12:20
    friday_free = ["13:00", "15:00"]  # 9:00 and 11:00; 9:30 to 10:30 overlap
    friday_busy = ["13:30", "14:00", "14:30"]
    for start in friday_free:
        assert f'value="2026-06-12T{start}:00+00:00"' in text, start
    for start in friday_busy:
        assert f'value="2026-06-12T{start}:00+00:00"' not in text, start
    assert "9:30 AM" in text
    assert 'Tuesday 9 June <span class="zone">(EDT)</span>' in text
