from datetime import UTC, datetime

import pytest
from django.urls import reverse

from clients.models import Case
from practicerunner import testing

from .conftest import use_up

pytestmark = pytest.mark.usefixtures("frozen")


def _allowance_url(case):
    return reverse("staff:case_allowance", args=[case.pk])


def test_it_shows_the_default_and_usage_for_this_and_next_year(
    signed_in, front_desk, individual_case, clinician
):
    use_up(individual_case, clinician, 4)

    response = signed_in(front_desk).get(
        reverse("staff:case", args=[individual_case.pk])
    )

    page = response.content.decode()
    assert "Practice default (6)" in page
    assert "4 of 6 used in 2026; 2 remaining" in page
    assert "0 of 6 used in 2027; 6 remaining" in page
    assert "Sun 1 Feb 2026, 10:00 EST" in page
    assert "Save allowance" not in page


def test_it_shows_usage_per_group_member(signed_in, clinician, group_case):
    for earlier in use_up(group_case, clinician, 2):
        earlier.participants.filter(client__name="Member 3").update(
            status="planned_absence"
        )

    response = signed_in(clinician).get(reverse("staff:case", args=[group_case.pk]))

    page = response.content.decode()
    assert page.count("<p>0 of 6 used in 2026; 6 remaining</p>") == 2
    assert "2 of 6 used in 2026; 4 remaining" in page


@pytest.mark.parametrize(
    ("entered", "stored", "message"),
    [
        ("3", 3, "Alice now allows 3 planned absences per year."),
        ("0", 0, "Alice now allows 0 planned absences per year."),
        ("", None, "Alice now uses the practice default (6)."),
    ],
)
def test_it_sets_the_override(
    signed_in, clinician, individual_case, entered, stored, message
):
    response = signed_in(clinician).post(
        _allowance_url(individual_case), {"allowance": entered}, follow=True
    )

    assert Case.objects.get(pk=individual_case.pk).allowance_override == stored
    assert message in response.content.decode()


def test_it_shows_an_error_next_to_an_out_of_range_override(
    signed_in, owner, individual_case
):
    response = signed_in(owner).post(
        _allowance_url(individual_case), {"allowance": "53"}
    )

    assert response.status_code == 200  # re-rendered with the error
    assert "less than or equal to 52" in response.content.decode()
    assert Case.objects.get(pk=individual_case.pk).allowance_override is None


def test_it_refuses_the_front_desk(signed_in, front_desk, individual_case):
    response = signed_in(front_desk).post(
        _allowance_url(individual_case), {"allowance": "2"}
    )

    assert response.status_code == 403


def test_it_lists_cases(signed_in, biller, individual_case, group_case):
    response = signed_in(biller).get(reverse("staff:cases"))

    page = response.content.decode()
    assert "Alice" in page and "Thursday group" in page


def test_it_shows_upcoming_sessions_with_both_zones_across_a_clock_change(
    signed_in, clinician, individual_case
):
    testing.build_appointment(
        individual_case, datetime(2026, 11, 1, 5, 30, tzinfo=UTC), clinician=clinician
    )
    testing.build_appointment(
        individual_case, datetime(2026, 6, 10, 14, 0, tzinfo=UTC), clinician=clinician
    )

    response = signed_in(clinician).get(
        reverse("staff:case", args=[individual_case.pk])
    )

    page = response.content.decode()
    assert "Sun 1 Nov, 01:30 EDT–01:20 EST" in page
    assert "Wed 10 Jun, 10:00–10:50 EDT" in page
