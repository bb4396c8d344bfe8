"""Emails after portal changes and staff decisions."""

import logging
from datetime import UTC, datetime

from django.core import mail

from appointments import services
from appointments.models import AppointmentStatus

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
