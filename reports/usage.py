"""The allowance usage report: every case and group member in one year."""

from dataclasses import dataclass

from django.db.models import Count, Q

from appointments.models import AppointmentStatus, ParticipantStatus
from appointments.policy import Usage, allowance_of
from clients.models import PARTICIPANT_LEVEL_KINDS, Case, CaseKind, Membership
from practicerunner.lib.timezones import year_bounds


@dataclass(frozen=True)
class UsageRow:
    case_id: int
    case_title: str
    kind: str
    member: str
    usage: Usage

    @property
    def kind_label(self):
        return CaseKind(self.kind).label

    @property
    def over(self):
        return max(0, self.usage.used - self.usage.allowance)


def allowance_usage(practice, year, *, clinician=None, kind=None):
    """Return a UsageRow per case (and per group member), closest to used up first.

    Two queries whatever the number of cases: one for case-level kinds, one
    for the members of participant-level cases.
    """
    default = practice.portal_settings.default_allowance
    start, end = year_bounds(year, practice.zone)

    cases = Case.objects.filter(practice=practice).exclude(
        kind__in=PARTICIPANT_LEVEL_KINDS
    )
    members = Membership.objects.filter(
        practice=practice, case__kind__in=PARTICIPANT_LEVEL_KINDS
    )
    if clinician is not None:
        cases = cases.filter(clinicians=clinician)
        members = members.filter(case__clinicians=clinician)
    if kind:
        cases = cases.filter(kind=kind)
        members = members.filter(case__kind=kind)

    planned = Q(
        appointments__status=AppointmentStatus.PLANNED_ABSENCE,
        appointments__start__gte=start,
        appointments__start__lt=end,
    )
    case_rows = cases.annotate(used=Count("appointments", filter=planned)).values_list(
        "pk", "title", "kind", "allowance_override", "used"
    )
    member_planned = Q(
        participations__status=ParticipantStatus.PLANNED_ABSENCE,
        participations__appointment__start__gte=start,
        participations__appointment__start__lt=end,
    )
    member_rows = members.annotate(
        used=Count("participations", filter=member_planned)
    ).values_list(
        "case_id",
        "case__title",
        "case__kind",
        "case__allowance_override",
        "used",
        "client__name",
    )

    rows = [
        UsageRow(pk, title, kind, "", Usage(year, used, allowance_of(over, default)))
        for pk, title, kind, over, used in case_rows
    ]
    rows += [
        UsageRow(pk, title, kind, name, Usage(year, used, allowance_of(over, default)))
        for pk, title, kind, over, used, name in member_rows
    ]
    rows.sort(key=closeness)
    return rows


def closeness(row):
    """Sort key: over first, then fewest remaining, then most used."""
    usage = row.usage
    return (usage.allowance - usage.used, -usage.used, row.case_title, row.member)
