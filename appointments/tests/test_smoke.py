from datetime import UTC, datetime

from appointments import services
from practicerunner import testing


def test_it_cancels_with_allowance_remaining(individual_case, alice, clinician, now):
    appointment = testing.build_appointment(
        individual_case, datetime(2026, 6, 10, 15, tzinfo=UTC), clinician=clinician
    )

    outcome = services.request_cancellation(alice.portal_user, appointment.pk, now=now)

    assert outcome.outcome == "accepted"
    assert outcome.status == "planned_absence"
    assert outcome.usage.summary() == "0 of 6 used in 2026; 6 remaining"
