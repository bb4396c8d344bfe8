"""Allowance figures for many cases or members at once.

The schedule and the request queue show a figure per row. Counting row by
row would cost queries per appointment; these helpers count for all rows in
one query each and leave the decisions to the pure policy module.
"""

from collections import Counter, defaultdict

from appointments import policy
from appointments.models import (
    Appointment,
    AppointmentStatus,
    Participant,
    ParticipantStatus,
)
from practicerunner.lib.timezones import local_year, year_bounds


def _span(years, zone):
    start, _ = year_bounds(min(years), zone)
    _, end = year_bounds(max(years), zone)
    return start, end


def case_counts(practice, case_ids, years):
    """Return {(case_id, year): planned absences} for the given cases."""
    if not case_ids or not years:
        return Counter()
    start, end = _span(years, practice.zone)
    rows = Appointment.objects.filter(
        practice=practice,
        case_id__in=case_ids,
        status=AppointmentStatus.PLANNED_ABSENCE,
        start__gte=start,
        start__lt=end,
    ).values_list("case_id", "start")
    return Counter((case_id, local_year(s, practice.zone)) for case_id, s in rows)


def member_counts(practice, membership_ids, years):
    """Return {(membership_id, year): planned absences} for group members."""
    if not membership_ids or not years:
        return Counter()
    start, end = _span(years, practice.zone)
    rows = Participant.objects.filter(
        practice=practice,
        membership_id__in=membership_ids,
        status=ParticipantStatus.PLANNED_ABSENCE,
        appointment__start__gte=start,
        appointment__start__lt=end,
    ).values_list("membership_id", "appointment__start")
    return Counter((member, local_year(s, practice.zone)) for member, s in rows)


def allowance(case, practice):
    return policy.allowance_of(
        case.allowance_override, practice.portal_settings.default_allowance
    )


def usage_bar(usage):
    """Return the bar's filled share in percent, capped at 100."""
    if usage.allowance == 0:
        return 100 if usage.used else 0
    return min(100, round(100 * usage.used / usage.allowance))


def _row(usage, counted):
    return {"usage": usage, "bar": usage_bar(usage), "counted": counted}


def usage_by_year(practice, case, years):
    """Return, per year, the case's usage and the planned absences counted.

    For group and other multi-client cases each year holds one row per
    member, since each member has their own allowance.
    """
    zone = practice.zone
    start, end = _span(years, zone)
    allowance_ = allowance(case, practice)
    counted = defaultdict(list)

    if case.is_participant_level:
        absences = Participant.objects.filter(
            appointment__case=case,
            status=ParticipantStatus.PLANNED_ABSENCE,
            appointment__start__gte=start,
            appointment__start__lt=end,
        ).select_related("appointment")
        for absence in absences:
            year = local_year(absence.appointment.start, zone)
            counted[(absence.membership_id, year)].append(absence.appointment)
        rows = []
        for year in years:
            members = []
            for membership in case.memberships.all():
                dates = counted[(membership.pk, year)]
                usage = policy.Usage(year, len(dates), allowance_)
                members.append(_row(usage, dates) | {"client": membership.client})
            rows.append({"year": year, "members": members})
        return rows

    absences = Appointment.objects.filter(
        case=case,
        status=AppointmentStatus.PLANNED_ABSENCE,
        start__gte=start,
        start__lt=end,
    )
    for absence in absences:
        counted[local_year(absence.start, zone)].append(absence)
    return [
        {"year": year}
        | _row(policy.Usage(year, len(counted[year]), allowance_), counted[year])
        for year in years
    ]
