"""The staff pages' short phrases: times, figures and marks."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from appointments import policy
from staff import wording

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("start", "minutes", "expected"),
    [
        # An ordinary winter session.
        (datetime(2026, 12, 4, 15, 0, tzinfo=UTC), 50, "10:00–10:50 EST"),
        # The first 01:30 on 1 November 2026 is EDT; 50 minutes later the
        # clocks have gone back and it is 01:20 EST.
        (datetime(2026, 11, 1, 5, 30, tzinfo=UTC), 50, "01:30 EDT–01:20 EST"),
        # The second 01:30 that night is already EST.
        (datetime(2026, 11, 1, 6, 30, tzinfo=UTC), 50, "01:30–02:20 EST"),
        # Spring forward: 01:30 EST, 50 minutes later 03:20 EDT.
        (datetime(2026, 3, 8, 6, 30, tzinfo=UTC), 50, "01:30 EST–03:20 EDT"),
        # Ending on the next local day names that day.
        (datetime(2026, 12, 8, 4, 50, tzinfo=UTC), 600, "23:50–Tue 09:50 EST"),
        # Ending exactly at midnight is the next day too.
        (datetime(2026, 12, 8, 4, 0, tzinfo=UTC), 60, "23:00–Tue 00:00 EST"),
    ],
)
def test_time_range_names_each_end_when_they_differ(start, minutes, expected):
    end = start + timedelta(minutes=minutes)

    assert wording.time_range(start, end, NEW_YORK) == expected


@pytest.mark.parametrize(
    ("used", "allowance", "expected"),
    [
        (0, 6, "0 of 6 used in 2026"),
        (2, 2, "2 of 2 used in 2026"),
        (3, 2, "3 used of 2 in 2026"),
        (5, 2, "5 used of 2 in 2026"),
    ],
)
def test_used_in_says_used_of_past_the_allowance(used, allowance, expected):
    assert wording.used_in(policy.Usage(2026, used, allowance)) == expected


@pytest.mark.parametrize(
    ("used", "allowance", "expected"),
    [
        (0, 0, "No planned absences (allowance 0)"),
        (2, 0, "No planned absences (allowance 0)"),
        (6, 6, "Allowance 2026 used (6 of 6)"),
        (7, 6, "Allowance 2026 used (7 used of 6)"),
    ],
)
def test_allowance_mark(used, allowance, expected):
    assert wording.allowance_mark(policy.Usage(2026, used, allowance)) == expected


def test_stamp_always_carries_the_year_and_zone():
    moment = datetime(2026, 12, 4, 16, 25, tzinfo=UTC)

    assert wording.stamp(moment, NEW_YORK) == "Fri 4 Dec 2026, 11:25 EST"
