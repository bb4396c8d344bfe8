"""The allowance simulator on a known fixture."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from appointments.models import Appointment, Participant, StatusChange
from practicerunner import testing
from reports.simulator import simulate

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture
def history(individual_case, clinician):
    """Alice's 2026: absence, cancellation, no-show, absence (120.00 each)."""
    for month, status in [
        (2, "planned_absence"),
        (3, "canceled_by_client"),
        (4, "no_show"),
        (5, "planned_absence"),
        (5, "attended"),
    ]:
        testing.build_appointment(
            individual_case,
            datetime(2026, month, 10, 15, tzinfo=UTC),
            clinician=clinician,
            status=status,
        )
    testing.build_appointment(
        individual_case,
        datetime(2025, 6, 10, 15, tzinfo=UTC),
        clinician=clinician,
        status="canceled_by_client",
    )


def table(outcomes):
    return [
        (o.allowance, o.events, o.planned, o.billable, o.fee_difference)
        for o in outcomes
    ]


def test_it_replays_cancellations_and_no_shows_under_each_allowance(practice, history):
    outcomes = simulate(practice, *YEAR, [0, 2, 6], no_shows=True)

    assert table(outcomes) == [
        (0, 4, 0, 4, Decimal("240.00")),
        (2, 4, 2, 2, Decimal("0.00")),
        (6, 4, 4, 0, Decimal("-240.00")),
    ]
    assert outcomes[0].recorded_fees == Decimal("240.00")


def test_it_leaves_no_shows_alone_unless_asked(practice, history):
    outcomes = simulate(practice, *YEAR, [1])

    assert table(outcomes) == [(1, 3, 1, 2, Decimal("120.00"))]


def test_it_prices_sessions_at_a_given_fee(practice, history):
    [outcome] = simulate(practice, *YEAR, [0], no_shows=True, fee=Decimal("50"))

    assert outcome.simulated_fees == Decimal("200")


def test_it_changes_nothing(practice, history):
    before = list(Appointment.objects.values_list("pk", "status"))

    simulate(practice, *YEAR, [0, 3], no_shows=True)

    assert list(Appointment.objects.values_list("pk", "status")) == before
    assert not StatusChange.objects.exists()


def test_it_counts_each_group_member_against_their_own_allowance(
    practice, group_case, clinician
):
    for day in (3, 10, 17):
        session = testing.build_appointment(
            group_case, datetime(2026, 3, day, 15, tzinfo=UTC), clinician=clinician
        )
        Participant.objects.filter(
            appointment=session, client__name__in=["Member 1", "Member 2"]
        ).update(status="canceled_by_client")
        Participant.objects.filter(
            appointment=session, client__name="Member 3", appointment__start__day=3
        ).update(status="absent")

    with_absences = simulate(practice, *YEAR, [2], no_shows=True)
    without = simulate(practice, *YEAR, [2])

    # Members 1 and 2: two planned each, one billable each; member 3's
    # absence counts only when no-shows are replayed.
    assert table(with_absences) == [(2, 7, 5, 2, Decimal("-600.00"))]
    assert table(without) == [(2, 6, 4, 2, Decimal("-480.00"))]
