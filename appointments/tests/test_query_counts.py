"""A portal cancellation costs the same number of queries at any history size."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appointments import services
from appointments.models import Appointment
from practicerunner import testing


def add_history(case, clinician, now, count):
    statuses = ["attended", "planned_absence", "no_show", "canceled_by_client"]
    Appointment.objects.bulk_create(
        Appointment(
            practice=case.practice,
            case=case,
            clinician=clinician,
            start=now - timedelta(days=n + 1),
            end=now - timedelta(days=n + 1) + timedelta(minutes=50),
            status=statuses[n % 4],
        )
        for n in range(count)
    )


def queries_for_cancellation(practice, clinician, now, history, name):
    client = testing.build_client(practice, name, portal=True)
    case = testing.build_case(practice, members=[client], override=52)
    add_history(case, clinician, now, history)
    appointment = testing.build_appointment(
        case, now + timedelta(days=2), clinician=clinician
    )

    with CaptureQueriesContext(connection) as captured:
        services.request_cancellation(client.portal_user, appointment.pk, now=now)
    return len(captured)


@pytest.mark.django_db
def test_it_costs_the_same_queries_for_10_or_5000_past_sessions(
    practice, clinician, now
):
    small = queries_for_cancellation(practice, clinician, now, 10, "Small History")
    large = queries_for_cancellation(practice, clinician, now, 5000, "Large History")

    assert small == large
    assert small <= 12


@pytest.mark.django_db
def test_it_previews_with_a_constant_number_of_queries(
    practice, individual_case, alice, clinician, now, django_assert_max_num_queries
):
    add_history(individual_case, clinician, now, 300)
    appointment = testing.build_appointment(
        individual_case, now + timedelta(days=2), clinician=clinician
    )

    with django_assert_max_num_queries(5):
        services.preview_cancellation(alice.portal_user, appointment.pk, now=now)
