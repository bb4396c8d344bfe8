"""Emails sent after a portal change or a staff decision commits.

Sending happens after the transaction commits, so a change is never undone
by a mail failure, and a rolled-back change sends nothing. Each action sends
one email to the client and one to the case's clinicians. Failures are
logged with ids only.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from practicerunner.lib.money import format_money

from .wording import status_label, usage_sentence, when_text

logger = logging.getLogger(__name__)

SUBJECTS = {
    "request_received": "Cancellation request received",
    "request_accepted": "Cancellation confirmed",
    "request_declined": "Cancellation request declined",
}
ABSENCE_SUBJECTS = {
    "request_received": "Absence notice received",
    "request_accepted": "Absence confirmed",
    "request_declined": "Absence notice declined",
}
RESCHEDULED = "Session moved"


def after_commit(event, request_id):
    """Queue the emails for `event` on a cancellation request."""
    # robust: an error while composing is logged by Django, never raised
    # into the request whose change has already committed.
    transaction.on_commit(lambda: send_request_emails(event, request_id), robust=True)


def after_reschedule(change_id):
    """Queue the emails for a reschedule recorded as status change `change_id`."""
    transaction.on_commit(lambda: send_reschedule_emails(change_id), robust=True)


def _when(moment, practice):
    return when_text(moment, practice)


def _clinician_emails(case):
    return list(
        case.clinicians.exclude(user__email="").values_list("user__email", flat=True)
    )


def _portal_link():
    return settings.SITE_URL.rstrip("/") + reverse("portal:home")


def _usage_after(change):
    """Return the allowance usage after a change, from its status record."""
    from . import policy

    if change is None or change.allowance is None:
        return None
    used = change.used + (1 if change.to_status == "planned_absence" else 0)
    return policy.Usage(change.year, used, change.allowance)


def _client_figures(usage):

    return usage_sentence(usage) if usage else ""


def _staff_figures(usage):
    return f"Planned absences: {usage.summary()}." if usage else ""


def send_request_emails(event, request_id):

    from .models import AppointmentStatus, CancellationRequest

    request = (
        CancellationRequest.objects.select_related(
            "client",
            "appointment__case",
            "appointment__practice__billing_settings",
            "participant",
        )
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        return

    appointment = request.appointment
    practice = appointment.practice
    when_text = _when(appointment.start, practice)
    absence = request.participant_id is not None
    status = status_label(request.resulting_status, group=absence)
    what = "absence notice" if absence else "cancellation request"
    change = request.status_changes.order_by("-pk").first()
    usage = _usage_after(change)

    lines = [f"Session: {appointment.case.title}, {when_text}."]
    lines.append(_client_outcome(event, what, status, absence=absence))
    if event == "request_accepted":
        if usage:
            lines.append(_client_figures(usage))
        if request.resulting_status == AppointmentStatus.CANCELED_BY_CLIENT:
            lines.append(_fee_line(appointment))
    elif event == "request_declined" and request.message:
        lines.append(f"Message from the practice: {request.message}")
    lines.append(f"See your sessions: {_portal_link()}")
    lines.append(practice.name)

    subject = (ABSENCE_SUBJECTS if absence else SUBJECTS)[event]
    recipients = [request.client.email] if request.client.email else []
    _send(subject, "\n\n".join(lines), recipients, f"request={request_id}", event)

    staff_lines = [
        f"Client {request.client.name} on {appointment.case.title}, {when_text}.",
        f"Event: {subject}." + (f" Status: {status}." if status else ""),
    ]
    if usage:
        staff_lines.append(_staff_figures(usage))
    _send(
        f"[{practice.name}] {subject}",
        "\n".join(staff_lines),
        _clinician_emails(appointment.case),
        f"request={request_id}",
        event,
    )


def _client_outcome(event, what, status, *, absence):
    """Say what the request did, to the client who sent it.

    A group member's notice changes their own attendance; the session
    itself goes ahead for the others.
    """
    if event == "request_received":
        if absence:
            until = "you are still expected at the session"
        else:
            until = "the session stays booked"
        return (
            f"Your {what} was sent. The practice will confirm it; until then {until}."
        )
    if event == "request_accepted" and absence:
        return f"Your {what} was accepted. Your attendance for this session: {status}."
    if event == "request_accepted":
        return f"Your {what} was accepted. The session is now: {status}."
    return f"Your {what} was declined; the session goes ahead."


def _fee_line(appointment):
    billing = appointment.practice.billing_settings
    if not billing.canceled_by_client_keeps_fee:
        return "The practice does not charge a fee for this cancellation."
    fee = format_money(appointment.fee, appointment.practice.currency)
    return f"The session fee of {fee} may be charged."


def send_reschedule_emails(change_id):
    from .models import StatusChange

    change = (
        StatusChange.objects.select_related(
            "appointment__case",
            "appointment__practice__portal_settings",
            "changed_by__client",
        )
        .filter(pk=change_id)
        .first()
    )
    if change is None:
        return

    appointment = change.appointment
    practice = appointment.practice
    before = _when(change.from_start, practice)
    after = _when(change.to_start, practice)
    client = getattr(change.changed_by, "client", None)

    lines = [
        f"Your session {appointment.case.title} has moved.",
        f"From: {before}\nTo: {after}",
        _not_a_cancellation(practice),
        f"See your sessions: {_portal_link()}",
        practice.name,
    ]
    recipients = [client.email] if client is not None and client.email else []
    _send(RESCHEDULED, "\n\n".join(lines), recipients, f"change={change_id}", "moved")

    who = client.name if client is not None else "A client"
    staff_lines = [
        f"{who} moved a session of {appointment.case.title} in the portal.",
        f"From: {before}",
        f"To: {after}",
    ]
    _send(
        f"[{practice.name}] {RESCHEDULED}",
        "\n".join(staff_lines),
        _clinician_emails(appointment.case),
        f"change={change_id}",
        "moved",
    )


def _not_a_cancellation(practice):
    if practice.portal_settings.use_allowance:
        return (
            "A move is not a cancellation: it uses no planned absence and has no fee."
        )
    return "A move is not a cancellation: it has no fee."


def _send(subject, body, recipients, ref, event):
    if not recipients:
        return
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:
        # The change is committed; a mail failure must not look like a
        # failed change, so it is logged for staff to follow up.
        logger.exception("Email failed: event=%s %s", event, ref)
