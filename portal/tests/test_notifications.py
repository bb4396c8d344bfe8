"""Emails after portal changes and staff decisions."""

import logging
from datetime import UTC, datetime, timedelta

from django.core import mail

from appointments import services
from appointments.models import AppointmentStatus, ParticipantStatus

JUNE_10 = datetime(2026, 6, 10, 15, tzinfo=UTC)


def test_it_emails_alice_and_carl_when_staff_accept(
    alice,
    individual_case,
    book,
    practice,
    owner,
    now,
    django_capture_on_commit_callbacks,
):
    practice.portal_settings.accept_automatically = False
    practice.portal_settings.save()
    appointment = book(individual_case, JUNE_10)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.request_cancellation(
            alice.portal_user, appointment.pk, now=now
        )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.accept_request(owner.user, outcome.request.pk, now=now)

    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Cancellation confirmed", [alice.email]),
        (
            "[Harbour Therapy] Cancellation confirmed",
            ["clinician.harbour@example.test"],
        ),
    ]
    assert "The session is now: Planned absence." in mail.outbox[0].body
    assert "1 of 6 used, 5 remaining" in mail.outbox[0].body


def test_it_emails_the_decline_with_the_practices_message(
    alice,
    individual_case,
    book,
    practice,
    front_desk,
    now,
    django_capture_on_commit_callbacks,
):
    practice.portal_settings.accept_automatically = False
    practice.portal_settings.save()
    appointment = book(individual_case, JUNE_10)
    outcome = services.request_cancellation(alice.portal_user, appointment.pk, now=now)

    with django_capture_on_commit_callbacks(execute=True):
        services.decline_request(
            front_desk.user, outcome.request.pk, now=now, message="Please call us."
        )

    assert mail.outbox[0].subject == "Cancellation request declined"
    assert "Message from the practice: Please call us." in mail.outbox[0].body


def test_it_keeps_the_change_when_the_email_fails(
    signed_in,
    alice,
    individual_case,
    book,
    settings,
    caplog,
    django_capture_on_commit_callbacks,
):
    settings.EMAIL_BACKEND = "portal.tests.failing_mail.Backend"
    appointment = book(individual_case, JUNE_10)

    with (
        caplog.at_level(logging.ERROR, logger="appointments.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        signed_in(alice).post(f"/portal/appointments/{appointment.pk}/cancel/")

    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.PLANNED_ABSENCE
    assert "Email failed: event=request_accepted request=" in caplog.text
    assert "Alice" not in caplog.text


def test_it_writes_times_as_the_portal_does_to_everyone(
    alice,
    individual_case,
    book,
    practice,
    owner,
    now,
    django_capture_on_commit_callbacks,
):
    """Winter and summer: the abbreviation follows the date, the zone stays."""
    practice.portal_settings.accept_automatically = False
    practice.portal_settings.save()
    winter = book(individual_case, datetime(2027, 1, 8, 14, tzinfo=UTC))
    summer = book(individual_case, JUNE_10)

    with django_capture_on_commit_callbacks(execute=True):
        services.request_cancellation(alice.portal_user, winter.pk, now=now)
        services.request_cancellation(alice.portal_user, summer.pk, now=now)

    assert [m.to for m in mail.outbox] == [
        [alice.email],
        ["clinician.harbour@example.test"],
    ] * 2
    for message in mail.outbox[:2]:
        assert "Friday 8 January 2027, 9:00 AM EST (America/New_York)" in (message.body)
    for message in mail.outbox[2:]:
        assert "Wednesday 10 June 2026, 11:00 AM EDT (America/New_York)" in (
            message.body
        )


def test_it_says_all_are_used_to_the_client_and_counts_for_staff(
    alice,
    individual_case,
    book,
    practice,
    owner,
    now,
    django_capture_on_commit_callbacks,
):
    practice.portal_settings.accept_automatically = False
    practice.portal_settings.save()
    individual_case.allowance_override = 2
    individual_case.save()
    for day in (1, 2, 3):
        book(
            individual_case,
            datetime(2026, 1, day, 15, tzinfo=UTC),
            status=AppointmentStatus.PLANNED_ABSENCE,
        )
    appointment = book(individual_case, JUNE_10)
    outcome = services.request_cancellation(alice.portal_user, appointment.pk, now=now)

    with django_capture_on_commit_callbacks(execute=True):
        services.accept_request(owner.user, outcome.request.pk, now=now)

    to_alice, to_carl = mail.outbox
    assert "The session is now: Canceled by client." in to_alice.body
    assert "All 2 planned absences for 2026 are used (3 recorded)." in to_alice.body
    assert "3 of 2" not in to_alice.body
    assert "Planned absences: 3 used of 2 in 2026; 0 remaining." in to_carl.body


def test_it_names_no_figures_with_the_allowance_off(
    alice,
    individual_case,
    book,
    practice,
    now,
    django_capture_on_commit_callbacks,
):
    practice.portal_settings.use_allowance = False
    practice.portal_settings.save()
    appointment = book(individual_case, JUNE_10)

    with django_capture_on_commit_callbacks(execute=True):
        services.request_cancellation(alice.portal_user, appointment.pk, now=now)

    for message in mail.outbox:
        assert "planned absence" not in message.body.lower()
    assert "The session fee of 120.00 USD may be charged." in mail.outbox[0].body


def test_it_words_a_members_absence_for_the_client(
    group_members,
    group_case,
    book,
    practice,
    owner,
    now,
    django_capture_on_commit_callbacks,
):
    practice.portal_settings.accept_automatically = False
    practice.portal_settings.save()
    appointment = book(group_case, JUNE_10)
    outcome = services.report_absence(
        group_members[0].portal_user, appointment.pk, now=now
    )

    # Absent can only be recorded once the session has started.
    during = appointment.start + timedelta(minutes=5)

    with django_capture_on_commit_callbacks(execute=True):
        services.accept_request(
            owner.user,
            outcome.request.pk,
            now=during,
            status=ParticipantStatus.ABSENT,
            acknowledged=True,
        )

    assert mail.outbox[0].to == [group_members[0].email]
    assert (
        "Your attendance for this session: Absent (without notice)."
        in mail.outbox[0].body
    )
    assert "The session is now" not in mail.outbox[0].body


def test_it_tells_a_member_they_are_expected_until_the_practice_decides(
    group_members, group_case, book, practice, now, django_capture_on_commit_callbacks
):
    practice.portal_settings.accept_automatically = False
    practice.portal_settings.save()
    appointment = book(group_case, JUNE_10)

    with django_capture_on_commit_callbacks(execute=True):
        services.report_absence(group_members[0].portal_user, appointment.pk, now=now)

    body = mail.outbox[0].body
    assert "until then you are still expected at the session." in body
    assert "the session stays booked" not in body
