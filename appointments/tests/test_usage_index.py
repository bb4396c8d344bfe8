"""The yearly planned absence count is an index range scan."""

from datetime import date

from django.db import connection

from appointments.models import Appointment
from practicerunner.lib.timezones import year_bounds


def test_it_counts_a_cases_year_through_the_usage_index(individual_case):
    start, end = year_bounds(2026, individual_case.practice.zone)
    planned = Appointment.objects.filter(
        case=individual_case,
        status="planned_absence",
        start__gte=start,
        start__lt=end,
    )

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A tiny test table would be read whole; forbid that to see
            # whether the planner can answer from the index at all.
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = planned.explain()

    assert "appointment_case_usage" in plan
    assert "SCAN appointments_appointment" not in plan


def test_it_bounds_years_in_the_practice_zone(practice):
    start, end = year_bounds(2027, practice.zone)

    assert start.isoformat() == "2027-01-01T05:00:00+00:00"
    assert end.isoformat() == "2028-01-01T05:00:00+00:00"
    assert start.astimezone(practice.zone).date() == date(2027, 1, 1)
