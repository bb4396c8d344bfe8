from datetime import UTC, datetime

import pytest
from django.urls import reverse

from appointments.models import Appointment, StatusChange
from practicerunner import testing

from .conftest import use_up

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def two_sessions(individual_case, couple_case, clinician):
    return [
        testing.build_appointment(
            case, datetime(2026, 6, 3, hour, 0, tzinfo=UTC), clinician=clinician
        )
        for case, hour in ((individual_case, 13), (couple_case, 15))
    ]


def test_it_sets_several_appointments_at_once(signed_in, front_desk, two_sessions):
    response = signed_in(front_desk).post(
        reverse("staff:bulk_status"),
        {"appointment": [a.pk for a in two_sessions], "status": "attended"},
        follow=True,
    )

    assert set(Appointment.objects.values_list("status", flat=True)) == {"attended"}
    assert "2 appointments set to Attended." in response.content.decode()


def test_it_warns_per_appointment_past_the_allowance_and_saves_anyway(
    signed_in, clinician, two_sessions, individual_case
):
    use_up(individual_case, clinician, 6)
    browser = signed_in(clinician)
    data = {"appointment": [a.pk for a in two_sessions], "status": "planned_absence"}

    warned = browser.post(reverse("staff:bulk_status"), data)
    saved = browser.post(reverse("staff:bulk_status"), data | {"acknowledged": "on"})

    assert (
        "Alice: 6 of 6 planned absences in 2026 already used."
        in warned.content.decode()
    )
    assert (
        "Bea and Ben" not in warned.content.decode().split("<ul>")[1].split("</ul>")[0]
    )
    assert saved.status_code == 302
    record = StatusChange.objects.get(appointment=two_sessions[0])
    assert record.warning_acknowledged


def test_it_refuses_a_biller(signed_in, biller, two_sessions):
    response = signed_in(biller).post(
        reverse("staff:bulk_status"),
        {"appointment": [two_sessions[0].pk], "status": "attended"},
    )

    assert response.status_code == 403


def test_it_answers_404_for_another_practices_appointment(
    signed_in, outsider, two_sessions
):
    response = signed_in(outsider).post(
        reverse("staff:bulk_status"),
        {"appointment": [two_sessions[0].pk], "status": "attended"},
    )

    assert response.status_code == 404
    assert Appointment.objects.get(pk=two_sessions[0].pk).status == "scheduled"


def test_it_returns_only_to_a_page_of_this_site(signed_in, front_desk, two_sessions):
    response = signed_in(front_desk).post(
        reverse("staff:bulk_status"),
        {
            "appointment": [two_sessions[0].pk],
            "status": "attended",
            "next": "https://elsewhere.example/",
        },
    )

    assert response.url == reverse("staff:schedule")


def test_it_counts_one_appointment_in_the_singular(signed_in, front_desk, two_sessions):
    response = signed_in(front_desk).post(
        reverse("staff:bulk_status"),
        {"appointment": [two_sessions[0].pk], "status": "attended"},
        follow=True,
    )

    assert "1 appointment set to Attended." in response.content.decode()
