from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from appointments.models import Appointment
from practicerunner import testing

from .conftest import use_up

pytestmark = pytest.mark.usefixtures("frozen")


def test_it_redirects_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("staff:schedule"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("staff:login"))


def test_it_lists_today_in_the_practice_zone(
    signed_in, owner, individual_case, clinician
):
    testing.build_appointment(
        individual_case, datetime(2026, 6, 3, 13, 30, tzinfo=UTC), clinician=clinician
    )

    response = signed_in(owner).get(reverse("staff:schedule"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "09:30–10:20 EDT" in page
    assert "Times in America/New_York" in page
    assert "Alice Individual" in page


def test_it_shows_a_clinician_their_own_schedule_first(
    signed_in, clinician, owner, individual_case, practice
):
    colleague = testing.build_staff(
        practice, name="Cora Colleague", email="cora@example.test"
    )
    testing.build_appointment(
        individual_case, datetime(2026, 6, 3, 13, 0, tzinfo=UTC), clinician=colleague
    )

    own = signed_in(clinician).get(reverse("staff:schedule"))
    everyone = signed_in(clinician).get(reverse("staff:schedule") + "?clinician=all")

    assert "No appointments." in own.content.decode()
    assert "Cora Colleague" in everyone.content.decode()


def test_it_marks_cases_that_used_their_allowance(
    signed_in, owner, individual_case, clinician
):
    use_up(individual_case, clinician, 6)
    testing.build_appointment(
        individual_case, datetime(2026, 6, 3, 14, 0, tzinfo=UTC), clinician=clinician
    )

    response = signed_in(owner).get(reverse("staff:schedule"))

    assert "Allowance 2026 used (6 of 6)" in response.content.decode()


def test_it_marks_group_members_who_used_their_allowance(
    signed_in, owner, group_case, clinician
):
    sessions = use_up(group_case, clinician, 6)
    for session in sessions:
        session.participants.filter(client__name="Member 2").update(
            status="planned_absence"
        )
    testing.build_appointment(
        group_case, datetime(2026, 6, 3, 14, 0, tzinfo=UTC), clinician=clinician
    )

    response = signed_in(owner).get(reverse("staff:schedule"))

    assert "Allowance 2026 used: Member 2" in response.content.decode()


def _fill_week(individual_case, group_case, clinician, count):
    monday = datetime(2026, 6, 1, 13, 0, tzinfo=UTC)
    for n in range(count):
        case = group_case if n % 2 else individual_case
        testing.build_appointment(
            case, monday + timedelta(days=n % 5, hours=n), clinician=clinician
        )


@pytest.mark.parametrize("count", [2, 12])
def test_it_issues_the_same_queries_for_a_busy_week(
    signed_in,
    owner,
    individual_case,
    group_case,
    clinician,
    count,
    django_assert_num_queries,
):
    _fill_week(individual_case, group_case, clinician, count)
    browser = signed_in(owner)
    url = reverse("staff:schedule") + "?view=week&date=2026-06-03&clinician=all"

    with django_assert_num_queries(9):
        response = browser.get(url)

    assert response.content.decode().count('name="appointment"') == count


def test_it_creates_a_weekly_series(signed_in, front_desk, individual_case, clinician):
    response = signed_in(front_desk).post(
        reverse("staff:appointment_create"),
        {
            "case": individual_case.pk,
            "clinician": clinician.pk,
            "date": "2026-06-08",
            "time": "09:00",
            "minutes": 50,
            "weeks": 4,
        },
        follow=True,
    )

    starts = list(Appointment.objects.values_list("start", flat=True))
    assert len(starts) == 4
    assert starts[0] == datetime(2026, 6, 8, 13, 0, tzinfo=UTC)
    assert "Created 4 weekly appointments for Alice." in response.content.decode()


def test_it_refuses_appointment_creation_to_a_biller(signed_in, biller):
    response = signed_in(biller).get(reverse("staff:appointment_create"))

    assert response.status_code == 403


def test_it_shows_an_error_next_to_a_missing_field(signed_in, owner, individual_case):
    response = signed_in(owner).post(
        reverse("staff:appointment_create"), {"case": individual_case.pk}
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_it_falls_back_to_today_for_an_impossible_date(signed_in, owner):
    response = signed_in(owner).get(reverse("staff:schedule") + "?date=2026-02-30")

    assert "Wednesday 3 June 2026" in response.content.decode()
