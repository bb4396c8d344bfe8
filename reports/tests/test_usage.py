"""The allowance usage report on a known fixture."""

from datetime import UTC, datetime

import pytest

from appointments.models import Participant
from practicerunner import testing
from reports.usage import allowance_usage

PA = "planned_absence"


@pytest.fixture
def recorded(individual_case, couple_case, group_case, clinician):
    individual_case.allowance_override = 2
    individual_case.save()
    for day in (3, 10):
        testing.build_appointment(
            individual_case,
            datetime(2026, 2, day, 15, tzinfo=UTC),
            clinician=clinician,
            status=PA,
        )
    # New Year's Eve in New York: a 2025 absence, not 2026's.
    testing.build_appointment(
        individual_case,
        datetime(2026, 1, 1, 3, tzinfo=UTC),
        clinician=clinician,
        status=PA,
    )
    testing.build_appointment(
        couple_case,
        datetime(2026, 3, 3, 15, tzinfo=UTC),
        clinician=clinician,
        status=PA,
    )
    session = testing.build_appointment(
        group_case, datetime(2026, 3, 5, 15, tzinfo=UTC), clinician=clinician
    )
    Participant.objects.filter(appointment=session, client__name="Member 1").update(
        status=PA
    )


def figures(rows):
    return [
        (
            r.case_title,
            r.member,
            r.usage.allowance,
            r.usage.used,
            r.usage.remaining,
            r.over,
        )
        for r in rows
    ]


def test_it_lists_every_case_and_member_closest_to_used_up_first(
    practice, recorded, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        rows = allowance_usage(practice, 2026)

    assert figures(rows) == [
        ("Alice", "", 2, 2, 0, 0),
        ("Bea and Ben", "", 6, 1, 5, 0),
        ("Thursday group", "Member 1", 6, 1, 5, 0),
        ("Thursday group", "Member 2", 6, 0, 6, 0),
        ("Thursday group", "Member 3", 6, 0, 6, 0),
    ]


def test_it_shows_how_far_over_a_case_is(practice, recorded, individual_case):
    individual_case.allowance_override = 1
    individual_case.save()

    rows = allowance_usage(practice, 2026, kind="individual")

    assert figures(rows) == [("Alice", "", 1, 2, 0, 1)]


def test_it_filters_by_clinician(practice, recorded, owner):
    colleague = testing.build_staff(
        practice, name="Cora Colleague", email="cora@example.test"
    )

    assert allowance_usage(practice, 2026, clinician=colleague) == []
