"""Cancellations by month, clinician and status; reschedules apart."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count
from django.db.models.functions import TruncMonth

from appointments.models import (
    Appointment,
    AppointmentStatus,
    ChangeKind,
    Participant,
    ParticipantStatus,
    StatusChange,
)
from practicerunner.lib.timezones import year_bounds

STATUSES = (
    AppointmentStatus.PLANNED_ABSENCE,
    AppointmentStatus.CANCELED_BY_CLIENT,
    AppointmentStatus.CANCELED_BY_PRACTICE,
    AppointmentStatus.NO_SHOW,
)

# A group member's own absence counts in the column of the appointment status
# it corresponds to: an unannounced absence is a no-show.
MEMBER_STATUSES = {
    ParticipantStatus.PLANNED_ABSENCE: AppointmentStatus.PLANNED_ABSENCE,
    ParticipantStatus.CANCELED_BY_CLIENT: AppointmentStatus.CANCELED_BY_CLIENT,
    ParticipantStatus.ABSENT: AppointmentStatus.NO_SHOW,
}


@dataclass
class CancellationReport:
    year: int
    months: list
    # {(month, clinician name): {status: count}}
    counts: dict = field(default_factory=dict)
    # {(month, clinician name): count}
    reschedules: dict = field(default_factory=dict)

    def by_month(self):
        """Return [(month, {status: count}, reschedules)] for every month."""
        totals = {month: defaultdict(int) for month in self.months}
        moves = defaultdict(int)
        for (month, _), statuses in self.counts.items():
            for status, count in statuses.items():
                totals[month][status] += count
        for (month, _), count in self.reschedules.items():
            moves[month] += count
        return [(m, dict(totals[m]), moves[m]) for m in self.months]

    def rows(self):
        """Return one row per month and clinician with any count."""
        keys = sorted(set(self.counts) | set(self.reschedules))
        return [
            (
                month,
                clinician,
                [self.counts.get((month, clinician), {}).get(s, 0) for s in STATUSES],
                self.reschedules.get((month, clinician), 0),
            )
            for month, clinician in keys
        ]

    def totals(self):
        result = dict.fromkeys(STATUSES, 0)
        for statuses in self.counts.values():
            for status, count in statuses.items():
                result[status] += count
        return result

    @property
    def reschedule_total(self):
        return sum(self.reschedules.values())


def cancellation_report(practice, year, *, clinician=None):
    """Count the year's cancellations and reschedules, in the practice's months."""
    zone = practice.zone
    start, end = year_bounds(year, zone)
    report = CancellationReport(year, [date(year, m, 1) for m in range(1, 13)])

    appointments = Appointment.objects.filter(
        practice=practice, start__gte=start, start__lt=end, status__in=STATUSES
    )
    if clinician is not None:
        appointments = appointments.filter(clinician=clinician)
    rows = (
        appointments.annotate(month=TruncMonth("start", tzinfo=zone))
        .values_list("month", "clinician__display_name", "status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for month, name, status, count in rows:
        key = (_day(month, zone), name)
        report.counts.setdefault(key, {})[status] = count

    members = Participant.objects.filter(
        practice=practice,
        appointment__start__gte=start,
        appointment__start__lt=end,
        status__in=MEMBER_STATUSES,
    )
    if clinician is not None:
        members = members.filter(appointment__clinician=clinician)
    member_rows = (
        members.annotate(month=TruncMonth("appointment__start", tzinfo=zone))
        .values_list("month", "appointment__clinician__display_name", "status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for month, name, status, count in member_rows:
        statuses = report.counts.setdefault((_day(month, zone), name), {})
        column = MEMBER_STATUSES[status]
        statuses[column] = statuses.get(column, 0) + count

    # A reschedule belongs to the month the session was moved from.
    changes = StatusChange.objects.filter(
        practice=practice,
        kind=ChangeKind.RESCHEDULE,
        from_start__gte=start,
        from_start__lt=end,
    )
    if clinician is not None:
        changes = changes.filter(appointment__clinician=clinician)
    moved = (
        changes.annotate(month=TruncMonth("from_start", tzinfo=zone))
        .values_list("month", "appointment__clinician__display_name")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for month, name, count in moved:
        report.reschedules[(_day(month, zone), name)] = count
    return report


def _day(month, zone):
    if hasattr(month, "astimezone"):
        return month.astimezone(zone).date()
    return month
