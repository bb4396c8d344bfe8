"""Emails sent after a portal change or a staff decision commits.

Sending happens after the transaction commits, so a change is never undone
by a mail failure, and a rolled-back change sends nothing. Failures are
logged with ids only.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

logger = logging.getLogger(__name__)

SUBJECTS = {
    "request_received": "Cancellation request received",
    "request_accepted": "Cancellation confirmed",
    "request_declined": "Cancellation request declined",
}


def after_commit(event, request_id):
    """Queue the emails for `event` on a cancellation request."""
    transaction.on_commit(lambda: send_request_emails(event, request_id))


def send_request_emails(event, request_id):
    from .models import AppointmentStatus, CancellationRequest, ParticipantStatus

    request = (
        CancellationRequest.objects.select_related(
            "client", "appointment__case", "appointment__practice", "participant"
        )
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        return

    appointment = request.appointment
    practice = appointment.practice
    when = appointment.start.astimezone(practice.zone)
    when_text = f"{when:%A %d %B %Y, %H:%M} ({practice.time_zone})"
    choices = ParticipantStatus if request.participant_id else AppointmentStatus
    status = choices(request.resulting_status).label if request.resulting_status else ""
    what = "absence notice" if request.participant_id else "cancellation request"

    lines = [f"Session: {appointment.case.title}, {when_text}."]
    if event == "request_received":
        lines.append(f"Your {what} was sent. The practice will confirm it.")
    elif event == "request_accepted":
        lines.append(f"Your {what} was accepted. The session is now: {status}.")
    else:
        lines.append(f"Your {what} was declined; the session goes ahead.")
        if request.message:
            lines.append(f"Message from the practice: {request.message}")
    lines.append(f"{practice.name}")

    recipients = [request.client.email] if request.client.email else []
    clinician_emails = list(
        appointment.case.clinicians.exclude(user__email="").values_list(
            "user__email", flat=True
        )
    )
    subject = SUBJECTS[event]
    _send(subject, "\n\n".join(lines), recipients, request_id, event)
    staff_lines = [
        f"Client {request.client.name} on {appointment.case.title}, {when_text}.",
        f"Event: {subject}." + (f" Status: {status}." if status else ""),
    ]
    _send(
        f"[{practice.name}] {subject}",
        "\n".join(staff_lines),
        clinician_emails,
        request_id,
        event,
    )


def _send(subject, body, recipients, request_id, event):
    if not recipients:
        return
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:
        # The change is committed; a mail failure must not look like a
        # failed change, so it is logged for staff to follow up.
        logger.exception("Email failed: event=%s request=%s", event, request_id)
