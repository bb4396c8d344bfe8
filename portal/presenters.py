"""What the portal says about appointments and previews, in plain words.

Views pass the service's result values here and render the sentences; the
wording lives in one place so a client reads the same thing on every page.
"""

from dataclasses import dataclass

from appointments import policy
from appointments.models import (
    AppointmentStatus,
    Participant,
    ParticipantStatus,
    RequestState,
)
from practicerunner.lib.money import format_money

# Refusals where the client should call or email the practice instead.
CONTACT_REFUSALS = frozenset({"inside_notice", "portal_off", "rescheduling_off"})


@dataclass(frozen=True)
class Row:
    """One appointment as a client sees it on a list."""

    appointment: object
    status_label: str
    pending: object
    can_cancel: bool
    can_report_absence: bool
    can_reschedule: bool

    @property
    def is_participant_level(self):
        return self.appointment.case.is_participant_level


def appointment_rows(client, appointments, *, now, actions=True):
    """Describe each appointment with the client's status and actions."""
    appointments = list(appointments)
    ids = [a.pk for a in appointments]
    own = dict(
        Participant.objects.filter(appointment_id__in=ids, client=client).values_list(
            "appointment_id", "status"
        )
    )
    pending = {
        request.appointment_id: request for request in _pending_requests(client, ids)
    }
    portal = client.practice.portal_settings

    rows = []
    for appointment in appointments:
        group = appointment.case.is_participant_level
        request = pending.get(appointment.pk)
        status = own.get(appointment.pk) if group else appointment.status
        open_now = (
            actions
            and status in policy.OPEN_STATUSES
            and appointment.start > now
            and request is None
        )
        may_cancel = open_now and portal.allow_cancellation_requests
        rows.append(
            Row(
                appointment=appointment,
                status_label=status_label(status, group=group, pending=request),
                pending=request,
                can_cancel=may_cancel and not group,
                can_report_absence=may_cancel and group,
                can_reschedule=open_now and not group and portal.allow_rescheduling,
            )
        )

    return rows


def _pending_requests(client, appointment_ids):
    from .access import visible_requests

    return visible_requests(client).filter(
        appointment_id__in=appointment_ids, state=RequestState.PENDING
    )


def status_label(status, *, group=False, pending=None):
    if pending is not None:
        return "Absence notice sent" if group else "Cancellation requested"
    if status is None:
        return ""
    choices = ParticipantStatus if group else AppointmentStatus
    return choices(status).label


def money(amount, practice):
    return format_money(amount, practice.currency)


@dataclass(frozen=True)
class Explanation:
    """What pressing the button will do, before it is pressed."""

    sentences: list
    warning: list
    used_up: bool
    button: str


def explain_cancellation(preview, *, absence=False):
    """Say in words what a cancellation (or absence notice) will do."""
    appointment = preview.appointment
    usage = preview.usage
    planned = preview.status == policy.PLANNED_ABSENCE
    whose = "in this group" if absence else ""
    shared = not absence and appointment.case.memberships.count() > 1

    sentences, warning = [], []
    if usage is not None and planned:
        remaining = usage.allowance - usage.used - 1
        sentences.append(
            f"This will use 1 of your {usage.allowance} planned absences"
            f"{' ' + whose if whose else ''} for {usage.year}; "
            f"{remaining} will remain."
        )
        sentences.append("It will be marked Planned absence, which has no fee.")
    elif usage is not None:
        if usage.allowance == 0:
            warning.append(f"There are no planned absences for {usage.year}.")
        else:
            warning.append(
                f"You have used all {usage.allowance} planned absences"
                f"{' ' + whose if whose else ''} for {usage.year}."
            )
        warning.append(_fee_sentence(preview))
    else:
        sentences.append(f"The session will be marked {preview.status_label}.")
        sentences.append(_fee_sentence(preview))

    if shared:
        sentences.append(
            "Everyone in this case shares the planned absences and will see "
            "this change."
        )
    if not preview.automatic:
        sentences.append(
            "The practice confirms each request. Until they do, the session "
            "stays booked; you will get an email when they decide. The figures "
            "above are as of today."
        )

    if absence:
        button = "Let the practice know I can't attend"
    elif warning:
        button = "Cancel anyway" if preview.automatic else "Ask to cancel anyway"
    else:
        button = "Cancel this session" if preview.automatic else "Ask to cancel"
    return Explanation(sentences, warning, bool(warning), button)


def _fee_sentence(preview):
    label = preview.status_label
    if preview.fee_kept:
        fee = money(preview.fee_kept, preview.appointment.practice)
        return (
            f"It will be marked {label}, and you may have to pay the session "
            f"fee of {fee}."
        )
    return f"It will be marked {label}. The practice does not charge a fee for it."


@dataclass(frozen=True)
class RefusalText:
    """A refusal in words, and whether to show how to reach the practice."""

    sentences: list
    show_contact: bool


def explain_refusal(refusal, *, current_label=""):
    """Return the words for a refusal."""
    sentences = [refusal.message]
    if refusal is policy.NOT_OPEN and current_label:
        sentences.append(f"It is now: {current_label}.")
    return RefusalText(sentences, refusal.code in CONTACT_REFUSALS)
