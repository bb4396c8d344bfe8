"""The session page: status, planned absences, requests and their answers."""

from datetime import UTC, datetime

from appointments import services
from appointments.models import AppointmentStatus, ParticipantStatus
from practicerunner import testing

JUNE_10 = datetime(2026, 6, 10, 15, tzinfo=UTC)
JUNE_11 = datetime(2026, 6, 11, 23, tzinfo=UTC)


def _planned_absences_from(case, count):
    """Add `count` planned absences in January after those already there."""
    done = case.appointments.filter(status=AppointmentStatus.PLANNED_ABSENCE).count()
    for day in range(done + 1, done + count + 1):
        testing.build_appointment(
            case,
            datetime(2026, 1, day, 15, tzinfo=UTC),
            clinician=case.clinicians.first(),
            status=AppointmentStatus.PLANNED_ABSENCE,
        )


def test_it_says_all_are_used_rather_than_seven_of_two(
    signed_in, alice, individual_case, book
):
    individual_case.allowance_override = 2
    individual_case.save()
    _planned_absences_from(individual_case, 7)
    appointment = book(individual_case, JUNE_10)

    text = signed_in(alice).get(f"/portal/appointments/{appointment.pk}/").content
    text = text.decode()

    assert "All 2 planned absences for 2026 are used (7 recorded)." in text
    assert "7 of 2" not in text


def test_it_words_the_planned_absences_at_each_boundary(
    signed_in, alice, individual_case, book
):
    individual_case.allowance_override = 2
    individual_case.save()
    appointment = book(individual_case, JUNE_10)
    client = signed_in(alice)
    cases = [
        (0, "Planned absences in 2026: 0 of 2 used, 2 remaining."),
        (1, "Planned absences in 2026: 1 of 2 used, 1 remaining."),
        (1, "All 2 planned absences for 2026 are used."),
        (1, "All 2 planned absences for 2026 are used (3 recorded)."),
    ]

    for added, expected in cases:
        _planned_absences_from(individual_case, added)
        text = client.get(f"/portal/appointments/{appointment.pk}/").content.decode()
        assert expected in text, expected


def test_it_says_when_a_case_has_no_planned_absences(
    signed_in, alice, individual_case, book
):
    individual_case.allowance_override = 0
    individual_case.save()
    appointment = book(individual_case, JUNE_10)

    text = signed_in(alice).get(f"/portal/appointments/{appointment.pk}/").content

    assert "There are no planned absences for 2026." in text.decode()


def test_it_says_a_couple_shares_the_planned_absences(
    signed_in, couple, couple_case, book
):
    appointment = book(couple_case, JUNE_10)

    text = signed_in(couple[1]).get(f"/portal/appointments/{appointment.pk}/")

    assert (
        "Planned absences in 2026: 0 of 6 used, 6 remaining; they are shared by "
        "everyone in this case." in text.content.decode()
    )


def test_it_shows_the_practices_message_on_a_declined_request(
    signed_in, alice, individual_case, book, practice, front_desk, now
):
    practice.portal_settings.accept_automatically = False
    practice.portal_settings.save()
    appointment = book(individual_case, JUNE_10)
    outcome = services.request_cancellation(alice.portal_user, appointment.pk, now=now)
    services.decline_request(
        front_desk.user, outcome.request.pk, now=now, message="We need 48 hours."
    )

    text = signed_in(alice).get(f"/portal/appointments/{appointment.pk}/").content
    text = text.decode()

    assert "Your cancellation request was declined</strong>: We need 48 hours." in text
    assert "The session goes ahead as booked." in text
    assert f"/portal/appointments/{appointment.pk}/cancel/" in text


def test_it_forgets_the_decline_once_a_new_request_is_sent(
    signed_in, alice, individual_case, book, practice, front_desk, now
):
    practice.portal_settings.accept_automatically = False
    practice.portal_settings.save()
    appointment = book(individual_case, JUNE_10)
    outcome = services.request_cancellation(alice.portal_user, appointment.pk, now=now)
    services.decline_request(front_desk.user, outcome.request.pk, now=now)
    services.request_cancellation(alice.portal_user, appointment.pk, now=now)

    text = signed_in(alice).get(f"/portal/appointments/{appointment.pk}/").content
    text = text.decode()

    assert "was declined" not in text
    assert "is waiting for the practice" in text


def test_it_tells_an_absent_member_they_already_said_so(
    signed_in, group_members, group_case, book
):
    appointment = book(group_case, JUNE_11)
    for status, label in [
        (ParticipantStatus.ABSENT, "Absent (without notice)"),
        (ParticipantStatus.PLANNED_ABSENCE, "Planned absence"),
    ]:
        appointment.participants.filter(client=group_members[0]).update(status=status)

        page = signed_in(group_members[0]).get(
            f"/portal/appointments/{appointment.pk}/absence/"
        )

        text = page.content.decode()
        assert (
            "You have already told the practice you can&#x27;t attend this "
            "session." in text
        )
        assert "no longer scheduled" not in text
        assert f"It is now: {label}." in text


def test_it_still_says_a_cancelled_session_is_no_longer_scheduled(
    signed_in, alice, individual_case, book
):
    appointment = book(
        individual_case, JUNE_10, status=AppointmentStatus.CANCELED_BY_PRACTICE
    )

    page = signed_in(alice).get(f"/portal/appointments/{appointment.pk}/cancel/")

    assert "This session is no longer scheduled." in page.content.decode()
