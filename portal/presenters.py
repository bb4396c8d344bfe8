"""What the portal says about appointments and previews, in plain words.

Views pass the service's result values here and render the sentences; the
wording lives in one place so a client reads the same thing on every page.
"""

from dataclasses import dataclass

from appointments import policy
from appointments.models import (
    Participant,
    RequestState,
)
from appointments.wording import (  # noqa: F401 - the portal's vocabulary
    status_label,
    usage_sentence,
    when_parts,
    when_text,
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
    # True when the practice offers changes in the portal but this session
    # is inside its minimum notice: the page says to call instead.
    too_close: bool = False

    @property
    def is_participant_level(self):
        return self.appointment.case.is_participant_level


def appointment_rows(client, appointments, *, now, actions=True):
    """Describe each appointment with the client's status and actions.

    Actions are offered only where the portal's own guard would accept
    them, so a button never leads to a refusal. Two queries in all, however
    many appointments: the client's participant rows and pending requests.
    """
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
        change = _refusal(appointment, status, portal, now, group=group)
        move = _refusal(appointment, status, portal, now, group=group, move=True)
        offered = actions and request is None
        may_cancel = offered and change is None
        rows.append(
            Row(
                appointment=appointment,
                status_label=status_label(status, group=group, pending=request),
                pending=request,
                can_cancel=may_cancel and not group,
                can_report_absence=may_cancel and group,
                can_reschedule=offered and move is None,
                too_close=offered and policy.INSIDE_NOTICE in (change, move),
            )
        )

    return rows


def _refusal(appointment, status, portal, now, *, group, move=False):
    """Return the portal guard's answer for a cancellation or a move."""
    if move and status != policy.SCHEDULED:
        # Only a scheduled session moves; a group member's own status is
        # not the session's.
        return policy.NOT_OPEN
    return policy.portal_refusal(
        now=now,
        start=appointment.start,
        end=appointment.end,
        status=status,
        portal_open=(
            portal.allow_rescheduling if move else portal.allow_cancellation_requests
        ),
        minimum_notice=portal.minimum_notice,
        participant_level=group,
        whole_session=move or not group,
    )


def _pending_requests(client, appointment_ids):
    from .access import visible_requests

    return visible_requests(client).filter(
        appointment_id__in=appointment_ids, state=RequestState.PENDING
    )


# Where a status's staff label would puzzle a client, the portal and the
# client's emails say this instead.
def money(amount, practice):
    return format_money(amount, practice.currency)


@dataclass(frozen=True)
class Explanation:
    """What pressing the button will do, before it is pressed.

    `costs_money` is true when the session fee may be charged: the page
    then offers a move first, where the practice allows it.
    """

    sentences: list
    warning: list
    costs_money: bool
    button: str


def explain_cancellation(preview, *, absence=False):
    """Say in words what a cancellation (or absence notice) will do."""
    appointment = preview.appointment
    usage = preview.usage
    planned = preview.status == policy.PLANNED_ABSENCE
    whose = " in this group" if absence else ""
    shared = not absence and appointment.case.memberships.count() > 1
    costs_money = bool(preview.fee_kept)

    sentences, warning = [], []
    if usage is not None and planned:
        remaining = usage.allowance - usage.used - 1
        sentences.append(
            f"This will use 1 of your {usage.allowance} planned absences"
            f"{whose} for {usage.year}; {remaining} will remain."
        )
        sentences.append(
            "Your attendance will be recorded as Planned absence, which has no fee."
            if absence
            else "It will be marked Planned absence, which has no fee."
        )
    elif usage is not None:
        if usage.allowance == 0:
            warning.append(f"There are no planned absences for {usage.year}.")
        else:
            warning.append(
                f"You have used all {usage.allowance} planned absences"
                f"{whose} for {usage.year}."
            )
        warning.append(_result_sentence(preview, absence=absence))
    elif costs_money:
        warning.append(_result_sentence(preview, absence=absence))
    else:
        sentences.append(_result_sentence(preview, absence=absence))

    if shared:
        sentences.append(
            "Everyone in this case shares the planned absences and will see "
            "this change."
            if usage is not None
            else "Everyone in this case will see this change."
        )
    figures = " The figures above are as of today." if usage is not None else ""
    if not preview.automatic and absence:
        sentences.append(
            "The practice confirms each absence notice. Until they do, you are "
            "still expected at the session; you will get an email when they "
            "decide." + figures
        )
    elif not preview.automatic:
        sentences.append(
            "The practice confirms each request. Until they do, the session "
            "stays booked; you will get an email when they decide." + figures
        )

    if absence:
        button = "Let the practice know I can't attend"
    elif warning:
        button = "Cancel anyway" if preview.automatic else "Ask to cancel anyway"
    else:
        button = "Cancel this session" if preview.automatic else "Ask to cancel"
    return Explanation(sentences, warning, costs_money, button)


def _result_sentence(preview, *, absence=False):
    """Say what the status will be and whether a fee may be charged.

    For a group member it is their attendance that is recorded; the
    session itself goes ahead for the others.
    """
    label = preview.status_label
    if absence:
        what = f"Your attendance will be recorded as {label}"
        after = "; the group session goes ahead."
    else:
        what = f"The session will be marked {label}"
        after = "."
    if preview.fee_kept:
        fee = money(preview.fee_kept, preview.appointment.practice)
        return f"{what}, and you may have to pay the session fee of {fee}{after}"
    return f"{what}. The practice does not charge a fee for it{after}"


def attendance_fee(outcome):
    """Return "no fee" or "fee 120.00 USD" for a member's recorded status."""
    appointment = outcome.appointment
    billing = appointment.practice.billing_settings
    fee = policy.fee_due(
        status=outcome.status,
        fee=appointment.fee,
        canceled_by_client_keeps_fee=billing.canceled_by_client_keeps_fee,
        no_show_keeps_fee=billing.no_show_keeps_fee,
    )
    return f"fee {money(fee, appointment.practice)}" if fee else "no fee"


@dataclass(frozen=True)
class RefusalText:
    """A refusal in words, and whether to show how to reach the practice."""

    sentences: list
    show_contact: bool
    already_told: bool = False


ALREADY_ABSENT = "You have already told the practice you can't attend this session."


def explain_refusal(refusal, *, current_label="", participant=False):
    """Return the words for a refusal.

    For a group member, a session that is no longer open to them is one
    they have already said they will miss (or that staff recorded so).
    """
    already_told = refusal is policy.NOT_OPEN and participant
    sentences = [ALREADY_ABSENT if already_told else refusal.message]
    if refusal is policy.NOT_OPEN and current_label:
        sentences.append(f"It is now: {current_label}.")
    return RefusalText(sentences, refusal.code in CONTACT_REFUSALS, already_told)


def declined_request(requests):
    """Return the latest request if the practice declined it, else None.

    A later request (pending, accepted, withdrawn) replaces the decline.
    """
    latest = max(requests, key=lambda request: request.pk, default=None)
    if latest is not None and latest.state == RequestState.DECLINED:
        return latest
    return None
