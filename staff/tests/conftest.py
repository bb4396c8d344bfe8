from datetime import UTC, datetime

import pytest
import time_machine

from practicerunner import testing

# A Wednesday in June 2026, 12:00 in New York.
NOW = datetime(2026, 6, 3, 16, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def signed_in(client):
    """Return a function that signs a staff member in on the test client."""

    def sign_in_as(staff_member):
        client.force_login(staff_member.user)
        return client

    return sign_in_as


@pytest.fixture
def session(individual_case, clinician):
    """Alice's session next Wednesday, 10:00 in New York."""
    return testing.build_appointment(
        individual_case, datetime(2026, 6, 10, 14, 0, tzinfo=UTC), clinician=clinician
    )


@pytest.fixture
def group_session(group_case, clinician):
    return testing.build_appointment(
        group_case, datetime(2026, 6, 4, 22, 0, tzinfo=UTC), clinician=clinician
    )


def use_up(case, clinician, count, *, year=2026):
    """Record `count` planned absences of `case` early in `year`."""
    return [
        testing.build_appointment(
            case,
            datetime(year, 2, 1 + n, 15, 0, tzinfo=UTC),
            clinician=clinician,
            status="planned_absence",
        )
        for n in range(count)
    ]
