"""Billing statements: computed per case and period, issued as snapshots."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction

from appointments.models import Appointment, AppointmentStatus
from appointments.policy import fee_due
from practices.models import StaffRole

from .models import Statement, StatementLine
from .periods import out_of_range

ISSUING_ROLES = frozenset({StaffRole.OWNER, StaffRole.BILLER})


class StatementError(Exception):
    """A statement that will not be issued; nothing was stored."""


class AlreadyIssued(StatementError):
    """The same statement is already issued and still up to date."""

    def __init__(self, statement):
        super().__init__(
            f"Statement #{statement.pk} for this case and period is already "
            "issued and up to date; it was not issued again."
        )
        self.statement = statement


@dataclass(frozen=True)
class Line:
    appointment_id: int
    start: datetime
    status: str
    fee: Decimal
    fee_due: Decimal

    @property
    def status_label(self):
        return AppointmentStatus(self.status).label


@dataclass(frozen=True)
class Difference:
    """One line that is not what the issued statement says."""

    appointment_id: int
    start: datetime
    was: Line | None
    now: Line | None

    @property
    def description(self):
        if self.was is None:
            return f"added: {self.now.status_label}, {self.now.fee_due} due"
        if self.now is None:
            return "no longer in the period"
        return (
            f"{self.was.status_label} -> {self.now.status_label}; "
            f"due {self.was.fee_due} -> {self.now.fee_due}"
        )


def period_bounds(practice, first_day, last_day):
    """Return the UTC instants of a local, inclusive range of days."""
    zone = practice.zone
    start = datetime.combine(first_day, time(0), tzinfo=zone)
    end = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=zone)
    return start, end


def statement_lines(case, first_day, last_day):
    """Return the case's appointments in the period with the fee due now."""
    billing = case.practice.billing_settings
    start, end = period_bounds(case.practice, first_day, last_day)
    appointments = Appointment.objects.filter(
        practice_id=case.practice_id, case=case, start__gte=start, start__lt=end
    ).values_list("pk", "start", "status", "fee")
    return [
        Line(
            pk,
            moment,
            status,
            fee,
            fee_due(
                status=status,
                fee=fee,
                canceled_by_client_keeps_fee=billing.canceled_by_client_keeps_fee,
                no_show_keeps_fee=billing.no_show_keeps_fee,
            ),
        )
        for pk, moment, status, fee in appointments.order_by("start", "pk")
    ]


def total(lines):
    return sum((line.fee_due for line in lines), Decimal("0.00"))


def issue_statement(staff, case, first_day, last_day, *, now):
    """Store the statement as it stands now; return it.

    Refuse an empty statement, and an identical one (same case and period)
    while an earlier one is still up to date: raise AlreadyIssued, which
    names it, so a double submit does not bill twice.
    """
    if staff.role not in ISSUING_ROLES:
        raise StatementError("Only an owner or a biller issues statements.")
    if case.practice_id != staff.practice_id:
        raise StatementError("Case not found.")
    for day in (first_day, last_day):
        reason = out_of_range(day)
        if reason:
            raise StatementError(f"Statements: {reason}.")
    if last_day < first_day:
        raise StatementError("The period ends before it starts.")

    billing = case.practice.billing_settings
    with transaction.atomic():
        # The case's row lock makes two submits of the same statement wait
        # for each other, so the second sees the first (on PostgreSQL;
        # SQLite runs one writer at a time).
        type(case).objects.select_for_update().filter(pk=case.pk).first()
        earlier = Statement.objects.filter(
            case=case, period_start=first_day, period_end=last_day
        ).order_by("-issued_at", "-pk")
        for statement in earlier:
            if not differences(statement):
                raise AlreadyIssued(statement)
        lines = statement_lines(case, first_day, last_day)
        if not lines:
            raise StatementError(
                "There are no sessions in this period: there is nothing to issue."
            )
        statement = Statement.objects.create(
            practice_id=case.practice_id,
            case=case,
            period_start=first_day,
            period_end=last_day,
            issued_at=now,
            issued_by=staff.user,
            currency=case.practice.currency,
            canceled_by_client_keeps_fee=billing.canceled_by_client_keeps_fee,
            no_show_keeps_fee=billing.no_show_keeps_fee,
            total_due=total(lines),
        )
        StatementLine.objects.bulk_create(
            StatementLine(
                statement=statement,
                appointment_id=line.appointment_id,
                start=line.start,
                status=line.status,
                fee=line.fee,
                fee_due=line.fee_due,
            )
            for line in lines
        )
    return statement


def issued_lines(statement):
    return [
        Line(line.appointment_id, line.start, line.status, line.fee, line.fee_due)
        for line in statement.lines.all()
    ]


def differences(statement):
    """Return what changed since the statement was issued (empty: up to date)."""
    was = {line.appointment_id: line for line in issued_lines(statement)}
    now = {
        line.appointment_id: line
        for line in statement_lines(
            statement.case, statement.period_start, statement.period_end
        )
    }
    result = []
    for pk in was.keys() | now.keys():
        before, after = was.get(pk), now.get(pk)
        if before is not None and after is not None:
            same = (before.status, before.fee_due) == (after.status, after.fee_due)
            if same:
                continue
        moment = (after or before).start
        result.append(Difference(pk, moment, before, after))
    result.sort(key=lambda d: (d.start, d.appointment_id))
    return result
