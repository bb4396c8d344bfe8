"""The report pages: who may see them, and what they show."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from practicerunner import testing
from reports.models import Statement

PAGES = ["index", "usage", "cancellations", "statements"]


@pytest.fixture
def session(individual_case, clinician):
    return testing.build_appointment(
        individual_case,
        datetime(2026, 5, 4, 14, tzinfo=UTC),
        clinician=clinician,
        status="canceled_by_client",
    )


@pytest.mark.parametrize("name", [*PAGES, "simulator"])
def test_it_sends_anonymous_visitors_to_sign_in(client, practice, name):
    response = client.get(reverse(f"reports:{name}"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:login"))


@pytest.mark.parametrize("name", PAGES)
def test_it_shows_the_reports_to_every_staff_role(
    client, owner, clinician, front_desk, biller, name
):
    for person in (owner, clinician, front_desk, biller):
        client.force_login(person.user)

        assert client.get(reverse(f"reports:{name}")).status_code == 200


def test_it_refuses_portal_clients(client, alice):
    client.force_login(alice.portal_user)

    assert client.get(reverse("reports:usage")).status_code == 403


def test_it_hides_another_practices_case(client, outsider, individual_case):
    client.force_login(outsider.user)

    url = reverse("reports:statement_preview", args=[individual_case.pk])
    assert client.get(url).status_code == 404


def test_it_hides_another_practices_statement(
    client, outsider, biller, individual_case, session
):
    client.force_login(biller.user)
    url = reverse("reports:statement_preview", args=[individual_case.pk])
    client.post(url, {"start": "2026-05-01", "end": "2026-05-31"})
    statement = Statement.objects.get()
    client.force_login(outsider.user)

    response = client.get(reverse("reports:statement", args=[statement.pk]))

    assert response.status_code == 404


def test_it_lets_a_biller_issue_and_shows_the_statement(
    client, biller, individual_case, session
):
    client.force_login(biller.user)
    url = reverse("reports:statement_preview", args=[individual_case.pk])

    response = client.post(url, {"start": "2026-05-01", "end": "2026-05-31"})

    statement = Statement.objects.get()
    assert response["Location"] == reverse("reports:statement", args=[statement.pk])
    page = client.get(response["Location"])
    assert "Up to date" in page.text
    assert "120.00 USD" in page.text


def test_it_does_not_let_a_clinician_issue(client, clinician, individual_case, session):
    client.force_login(clinician.user)
    url = reverse("reports:statement_preview", args=[individual_case.pk])

    client.post(url, {"start": "2026-05-01", "end": "2026-05-31"})

    assert not Statement.objects.exists()


def test_it_exports_a_statement_preview_as_csv(client, owner, individual_case, session):
    client.force_login(owner.user)
    url = reverse("reports:statement_preview", args=[individual_case.pk])

    response = client.get(
        url, {"start": "2026-05-01", "end": "2026-05-31", "format": "csv"}
    )

    lines = response.content.decode().splitlines()
    assert lines[0] == "appointment_id,start,status,fee,fee_due,currency"
    assert lines[1] == (
        f"{session.pk},2026-05-04T10:00:00-04:00,Canceled by client,120.00,120.00,USD"
    )


def test_it_exports_the_usage_report_as_csv(client, owner, individual_case):
    client.force_login(owner.user)

    response = client.get(reverse("reports:usage"), {"year": 2026, "format": "csv"})

    assert response.content.decode().splitlines() == [
        "case_id,case,kind,member,allowance,used,remaining,over",
        f"{individual_case.pk},Alice,individual,,6,0,6,0",
    ]


def test_it_draws_the_cancellations_chart(client, front_desk, session):
    client.force_login(front_desk.user)

    response = client.get(reverse("reports:cancellations"), {"year": 2026})

    assert "<svg" in response.text
    assert "May: Canceled by client 1" in response.text


def test_it_shows_the_simulator_to_owners_only(client, owner, biller, session):
    client.force_login(biller.user)
    assert client.get(reverse("reports:simulator")).status_code == 403

    client.force_login(owner.user)
    response = client.get(
        reverse("reports:simulator"),
        {"start": "2026-01-01", "end": "2026-12-31", "allowances": "0,6"},
    )

    assert response.status_code == 200
    assert response.context["outcomes"][1].planned == 1


def test_it_exports_the_cancellations_as_csv(client, owner, session):
    client.force_login(owner.user)

    response = client.get(
        reverse("reports:cancellations"), {"year": 2026, "format": "csv"}
    )

    assert response.content.decode().splitlines() == [
        "month,clinician,Planned absence,Canceled by client,Canceled by practice,"
        "No-show,Reschedules",
        "2026-05,Carl Clinician,0,1,0,0,0",
    ]
