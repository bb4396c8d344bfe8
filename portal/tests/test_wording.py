"""The shared client wording of a year's planned absences."""

import pytest

from appointments import policy
from appointments.wording import usage_sentence


@pytest.mark.parametrize(
    ("used", "allowance", "shared", "expected"),
    [
        (
            5,
            2,
            True,
            "All 2 planned absences for 2026 are used (5 recorded); they are "
            "shared by everyone in this case.",
        ),
        (5, 2, False, "All 2 planned absences for 2026 are used (5 recorded)."),
        (
            2,
            2,
            True,
            "All 2 planned absences for 2026 are used; they are shared by "
            "everyone in this case.",
        ),
        (
            1,
            6,
            True,
            "Planned absences in 2026: 1 of 6 used, 5 remaining; they are shared "
            "by everyone in this case.",
        ),
        (1, 6, False, "Planned absences in 2026: 1 of 6 used, 5 remaining."),
        (
            0,
            0,
            True,
            "There are no planned absences for 2026 for anyone in this case.",
        ),
        (0, 0, False, "There are no planned absences for 2026."),
    ],
)
def test_it_says_the_usage_in_one_sentence(used, allowance, shared, expected):
    usage = policy.Usage(2026, used, allowance)

    assert usage_sentence(usage, shared=shared) == expected
    assert ")" + " (" not in usage_sentence(usage, shared=shared)
