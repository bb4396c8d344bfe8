"""The allowance simulator: what a different allowance would have done.

It replays the practice's recorded client cancellations (Planned absence,
Canceled by client) and, optionally, its no-shows, in date order, through
the same policy function that decides a portal cancellation, once for each
allowance tried. It only reads.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from appointments.models import Appointment, AppointmentStatus, Participant
from appointments.policy import (
    PLANNED_ABSENCE,
    Usage,
    client_cancellation_status,
    fee_due,
)
from clients.models import PARTICIPANT_LEVEL_KINDS

from .statements import period_bounds

CLIENT_CANCELLATIONS = (
    AppointmentStatus.PLANNED_ABSENCE,
    AppointmentStatus.CANCELED_BY_CLIENT,
)
# A group member's absence without notice, counted like a no-show.
MEMBER_ABSENT = "absent"


@dataclass(frozen=True)
class Outcome:
    allowance: int
    events: int
    planned: int
    billable: int
    recorded_fees: Decimal
    simulated_fees: Decimal

    @property
    def fee_difference(self):
        """Fees billed under this allowance minus fees billed as recorded."""
        return self.simulated_fees - self.recorded_fees


def _events(practice, start, end, *, no_shows):
    """Yield (key, year, status, fee) in date order, one query per level."""
    zone = practice.zone
    statuses = list(CLIENT_CANCELLATIONS)
    if no_shows:
        statuses.append(AppointmentStatus.NO_SHOW)
    appointments = (
        Appointment.objects.filter(
            practice=practice, start__gte=start, start__lt=end, status__in=statuses
        )
        .exclude(case__kind__in=PARTICIPANT_LEVEL_KINDS)
        .order_by("start", "pk")
        .values_list("case_id", "start", "status", "fee")
    )
    for case_id, moment, status, fee in appointments.iterator(chunk_size=5000):
        yield ("case", case_id), moment.astimezone(zone).year, status, fee

    member_statuses = list(CLIENT_CANCELLATIONS)
    if no_shows:
        member_statuses.append(MEMBER_ABSENT)
    participants = (
        Participant.objects.filter(
            practice=practice,
            appointment__start__gte=start,
            appointment__start__lt=end,
            status__in=member_statuses,
        )
        .order_by("appointment__start", "pk")
        .values_list(
            "membership_id", "appointment__start", "status", "appointment__fee"
        )
    )
    for membership_id, moment, status, fee in participants.iterator(chunk_size=5000):
        if status == MEMBER_ABSENT:
            status = AppointmentStatus.NO_SHOW
        yield ("member", membership_id), moment.astimezone(zone).year, status, fee


def simulate(practice, first_day, last_day, allowances, *, no_shows=False, fee=None):
    """Return an Outcome per allowance, in the order given.

    `fee`, when given, prices every session instead of its recorded fee
    (for imported data that carries none). Usage starts at zero for each
    case at the start of the period (and of each calendar year in it).
    """
    billing = practice.billing_settings
    start, end = period_bounds(practice, first_day, last_day)

    def due(status, amount):
        return fee_due(
            status=status,
            fee=amount,
            canceled_by_client_keeps_fee=billing.canceled_by_client_keeps_fee,
            no_show_keeps_fee=billing.no_show_keeps_fee,
        )

    used = {n: defaultdict(int) for n in allowances}
    planned = dict.fromkeys(allowances, 0)
    simulated = dict.fromkeys(allowances, Decimal("0.00"))
    recorded, events = Decimal("0.00"), 0
    for key, year, status, recorded_fee in _events(
        practice, start, end, no_shows=no_shows
    ):
        amount = recorded_fee if fee is None else fee
        events += 1
        recorded += due(status, amount)
        for n in allowances:
            counter = used[n]
            usage = Usage(year, counter[(key, year)], n)
            decided = client_cancellation_status(use_allowance=True, usage=usage)
            if decided == PLANNED_ABSENCE:
                counter[(key, year)] += 1
                planned[n] += 1
            simulated[n] += due(decided, amount)

    return [
        Outcome(
            allowance=n,
            events=events,
            planned=planned[n],
            billable=events - planned[n],
            recorded_fees=recorded,
            simulated_fees=simulated[n],
        )
        for n in allowances
    ]
