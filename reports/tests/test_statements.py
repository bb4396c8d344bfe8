"""Billing statements: the fee rules, issuing, and out-of-date detection."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from appointments import services
from practicerunner import testing
from reports.models import Statement
from reports.statements import (
    AlreadyIssued,
    StatementError,
    differences,
    issue_statement,
    statement_lines,
    total,
)

MAY_1, MAY_31 = date(2026, 5, 1), date(2026, 5, 31)


@pytest.fixture
def may(individual_case, clinician):
    """Alice's May: one session of each status, at 120.00."""
    statuses = [
        "attended",
        "planned_absence",
        "canceled_by_client",
        "canceled_by_practice",
        "no_show",
    ]
    sessions = [
        testing.build_appointment(
            individual_case,
            datetime(2026, 5, 4 + 7 * n, 14, tzinfo=UTC),
            clinician=clinician,
            status=status,
        )
        for n, status in enumerate(statuses[:4])
    ]
    # 22:00 on 31 May in New York: still May.
    sessions.append(
        testing.build_appointment(
            individual_case,
            datetime(2026, 6, 1, 2, tzinfo=UTC),
            clinician=clinician,
            status=statuses[4],
        )
    )
    return sessions


def dues(case):
    return [
        (line.status, line.fee_due) for line in statement_lines(case, MAY_1, MAY_31)
    ]


def test_it_keeps_the_fee_of_client_cancellations_and_no_shows_by_default(
    individual_case, may
):
    assert dues(individual_case) == [
        ("attended", Decimal("120.00")),
        ("planned_absence", Decimal("0.00")),
        ("canceled_by_client", Decimal("120.00")),
        ("canceled_by_practice", Decimal("0.00")),
        ("no_show", Decimal("120.00")),
    ]
    assert total(statement_lines(individual_case, MAY_1, MAY_31)) == Decimal("360.00")


def test_it_drops_those_fees_when_the_billing_settings_say_so(
    practice, individual_case, may
):
    billing = practice.billing_settings
    billing.canceled_by_client_keeps_fee = False
    billing.no_show_keeps_fee = False
    billing.save()
    individual_case.practice.refresh_from_db()

    assert total(statement_lines(individual_case, MAY_1, MAY_31)) == Decimal("120.00")


def test_it_stores_an_issued_statement_as_a_snapshot(individual_case, may, biller, now):
    statement = issue_statement(biller, individual_case, MAY_1, MAY_31, now=now)

    assert statement.total_due == Decimal("360.00")
    assert statement.lines.count() == 5
    assert differences(statement) == []


def test_it_shows_what_changed_after_issuing(
    individual_case, may, biller, clinician, now
):
    statement = issue_statement(biller, individual_case, MAY_1, MAY_31, now=now)

    services.set_appointment_status(
        clinician.user, may[2].pk, "planned_absence", now=now, acknowledged=True
    )

    statement.refresh_from_db()
    [change] = differences(statement)
    assert change.appointment_id == may[2].pk
    assert change.description == (
        "Canceled by client -> Planned absence; due 120.00 -> 0.00"
    )
    assert statement.total_due == Decimal("360.00")


def test_it_lets_only_owners_and_billers_issue(individual_case, may, clinician, now):
    with pytest.raises(StatementError):
        issue_statement(clinician, individual_case, MAY_1, MAY_31, now=now)

    assert not Statement.objects.exists()


def test_it_refuses_to_issue_the_same_up_to_date_statement_twice(
    individual_case, may, biller, now
):
    first = issue_statement(biller, individual_case, MAY_1, MAY_31, now=now)

    with pytest.raises(AlreadyIssued) as refusal:
        issue_statement(biller, individual_case, MAY_1, MAY_31, now=now)

    assert refusal.value.statement == first
    assert Statement.objects.count() == 1


def test_it_issues_again_once_the_earlier_statement_is_out_of_date(
    individual_case, may, biller, clinician, now
):
    first = issue_statement(biller, individual_case, MAY_1, MAY_31, now=now)
    services.set_appointment_status(
        clinician.user, may[2].pk, "planned_absence", now=now, acknowledged=True
    )

    second = issue_statement(biller, individual_case, MAY_1, MAY_31, now=now)

    assert second != first
    assert second.total_due == Decimal("240.00")


def test_it_refuses_an_empty_statement(individual_case, biller, now):
    with pytest.raises(StatementError, match="no sessions in this period"):
        issue_statement(biller, individual_case, MAY_1, MAY_31, now=now)

    assert not Statement.objects.exists()


def test_it_refuses_a_period_outside_the_supported_dates(
    individual_case, may, biller, now
):
    with pytest.raises(StatementError, match="between 2000-01-01 and 2097-12-31"):
        issue_statement(biller, individual_case, date(1, 1, 1), MAY_31, now=now)
