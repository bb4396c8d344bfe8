"""Every portal URL answers 404 for ids outside the client's own cases."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appointments.models import Appointment, CancellationRequest, StatusChange
from clients.models import CaseKind
from practicerunner import testing

JUNE_10 = datetime(2026, 6, 10, 15, tzinfo=UTC)

APPOINTMENT_URLS = [
    "/portal/appointments/{}/",
    "/portal/appointments/{}/cancel/",
    "/portal/appointments/{}/absence/",
    "/portal/appointments/{}/reschedule/",
]
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def dora(practice):
    """Another portal client of the same practice, with her own case."""
    return testing.build_client(practice, "Dora Other", portal=True)


@pytest.fixture
def doras_appointment(practice, dora, clinician):
    case = testing.build_case(
        practice, CaseKind.INDIVIDUAL, [dora], title="Dora", clinicians=[clinician]
    )
    return testing.build_appointment(case, JUNE_10, clinician=clinician)


@pytest.fixture
def outsiders_appointment(other_practice, outsider):
    client = testing.build_client(other_practice, "Olga Away", portal=True)
    case = testing.build_case(other_practice, members=[client], title="Olga")
    return testing.build_appointment(case, JUNE_10, clinician=outsider)


def _snapshot():
    return (
        list(Appointment.objects.values_list("pk", "status", "start")),
        CancellationRequest.objects.count(),
        StatusChange.objects.count(),
    )


def test_it_answers_404_for_another_clients_appointment(
    signed_in, alice, individual_case, doras_appointment, outsiders_appointment
):
    client = signed_in(alice)
    before = _snapshot()

    for appointment in (doras_appointment, outsiders_appointment):
        for url in APPOINTMENT_URLS:
            for method in (client.get, client.post):
                with_id = url.format(appointment.pk)
                response = method(with_id, {"start": "", "expected_start": ""})
                assert response.status_code == 404, (method.__name__, with_id)

    assert _snapshot() == before


def test_it_answers_404_for_another_clients_case(
    signed_in, alice, individual_case, doras_appointment
):
    response = signed_in(alice).get(f"/portal/cases/{doras_appointment.case_id}/")

    assert response.status_code == 404


def test_it_answers_404_for_withdrawing_another_clients_request(
    signed_in, alice, individual_case, dora, doras_appointment, practice, now
):
    from appointments import services

    practice.portal_settings.accept_automatically = False
    practice.portal_settings.save()
    outcome = services.request_cancellation(
        dora.portal_user, doras_appointment.pk, now=now
    )

    response = signed_in(alice).post(f"/portal/requests/{outcome.request.pk}/withdraw/")

    assert response.status_code == 404
    outcome.request.refresh_from_db()
    assert outcome.request.state == "pending"


def test_it_answers_404_to_a_staff_sign_in(client, owner):
    client.force_login(owner.user)

    assert client.get("/portal/").status_code == 404


def test_it_sends_anonymous_visitors_to_the_portal_sign_in(client):
    response = client.get("/portal/appointments/1/cancel/")

    assert response.status_code == 302
    assert response["Location"].startswith("/portal/sign-in/?next=")


def test_it_never_writes_on_a_get(
    signed_in, alice, individual_case, group_members, group_case, book, practice
):
    practice.portal_settings.allow_rescheduling = True
    practice.portal_settings.save()
    own = book(individual_case, JUNE_10)
    group_case.memberships.filter(client=group_members[0]).update(client=alice)
    group = book(group_case, JUNE_10.replace(day=11))
    client = signed_in(alice)
    urls = ["/portal/", f"/portal/cases/{individual_case.pk}/"]
    urls += [url.format(own.pk) for url in APPOINTMENT_URLS]
    urls += [url.format(group.pk) for url in APPOINTMENT_URLS]

    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, follow=True)
        assert response.status_code == 200, url
        writes = [q["sql"] for q in queries if q["sql"].lstrip().startswith(WRITES)]
        assert writes == [], url


def test_it_answers_404_to_a_former_member(signed_in, couple, couple_case, now):
    bea, ben = couple
    appointment = testing.build_appointment(
        couple_case, JUNE_10, clinician=couple_case.clinicians.first()
    )
    couple_case.memberships.filter(client=ben).update(left_on=now.date())
    client = signed_in(ben)

    for url in APPOINTMENT_URLS:
        assert client.get(url.format(appointment.pk)).status_code == 404, url
    assert client.get(f"/portal/cases/{couple_case.pk}/").status_code == 404
    assert "Bea and Ben" not in client.get("/portal/").content.decode()
