"""The report pages: wide dates, CSV formulas, formats, double issue, print."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from clients.models import CaseKind
from practicerunner import testing
from reports.csvexport import safe_cell
from reports.models import Statement

WIDE = {"start": "0001-01-01", "end": "9999-12-31"}
MAY = {"start": "2026-05-01", "end": "2026-05-31"}


@pytest.fixture
def session(individual_case, clinician):
    return testing.build_appointment(
        individual_case,
        datetime(2026, 5, 4, 14, tzinfo=UTC),
        clinician=clinician,
        status="canceled_by_client",
    )


def preview_url(case):
    return reverse("reports:statement_preview", args=[case.pk])


def rows_of(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_it_refuses_wide_dates_with_a_form_error_not_a_500(
    client, owner, individual_case, session
):
    client.force_login(owner.user)
    pages = [
        (reverse("reports:simulator"), {**WIDE, "allowances": "2"}),
        (preview_url(individual_case), WIDE),
        (preview_url(individual_case), {**WIDE, "format": "csv"}),
        (reverse("reports:usage"), {"year": "9999"}),
        (reverse("reports:cancellations"), {"year": "1"}),
    ]

    for url, query in pages:
        response = client.get(url, query)

        assert response.status_code == 200, url
        assert "between" in response.text.lower(), url

    response = client.post(preview_url(individual_case), WIDE)
    assert response.status_code == 200
    assert "Choose a day between 1 Jan 2000 and 31 Dec 2097." in response.text
    assert not Statement.objects.exists()


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Alice", "Alice"),
        (-5, -5),
    ],
)
def test_it_neutralises_spreadsheet_formulas(text, cell):
    assert safe_cell(text) == cell


def test_it_neutralises_formulas_in_every_csv_export(
    client, owner, practice, clinician
):
    evil = testing.build_client(practice, "=HYPERLINK(1)")
    case = testing.build_case(
        practice, CaseKind.INDIVIDUAL, [evil], title="@SUM(1+1)", clinicians=[clinician]
    )
    clinician.display_name = "+Carl"
    clinician.save()
    testing.build_appointment(
        case,
        datetime(2026, 5, 4, 14, tzinfo=UTC),
        clinician=clinician,
        status="canceled_by_client",
    )
    client.force_login(owner.user)

    usage = rows_of(
        client.get(reverse("reports:usage"), {"year": 2026, "format": "csv"})
    )
    cancellations = rows_of(
        client.get(reverse("reports:cancellations"), {"year": 2026, "format": "csv"})
    )

    assert usage[1][1] == "'@SUM(1+1)"
    assert cancellations[1][1] == "'+Carl"


def test_it_refuses_an_invalid_clinician_filter_on_the_csv(client, owner, session):
    client.force_login(owner.user)

    response = client.get(
        reverse("reports:cancellations"),
        {"year": 2026, "clinician": "999999", "format": "csv"},
    )

    assert response.status_code == 400
    assert "clinician" in response.text
    assert "Carl Clinician" not in response.text


def test_it_fills_in_this_year(client, owner, now):
    client.force_login(owner.user)

    for name in ("usage", "cancellations"):
        response = client.get(reverse(f"reports:{name}"))

        assert 'name="year" value="2026"' in response.text
        assert "in 2026" in response.text


def test_it_does_not_issue_the_same_statement_twice_on_a_double_submit(
    client, biller, individual_case, session
):
    client.force_login(biller.user)

    first = client.post(preview_url(individual_case), MAY)
    second = client.post(preview_url(individual_case), MAY, follow=True)

    statement = Statement.objects.get()
    assert first["Location"] == reverse("reports:statement", args=[statement.pk])
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "already issued and up to date" in second.text


def test_it_does_not_issue_an_empty_statement(client, biller, individual_case):
    client.force_login(biller.user)

    preview = client.get(preview_url(individual_case), MAY)
    response = client.post(preview_url(individual_case), MAY, follow=True)

    assert "Issue this statement" not in preview.text
    assert not Statement.objects.exists()
    assert "nothing to issue" in response.text


def test_it_shows_issue_times_in_the_practice_zone(
    client, biller, individual_case, session
):
    client.force_login(biller.user)
    client.post(preview_url(individual_case), MAY)

    listing = client.get(reverse("reports:statements"))
    page = client.get(reverse("reports:statement", args=[Statement.objects.get().pk]))

    # Issued at the frozen 12:00 UTC, which is 08:00 in New York.
    assert "Mon 1 Jun 2026, 08:00 EDT" in listing.text
    assert "Mon 1 Jun 2026, 08:00 EDT" in page.text
    assert "Times in America/New_York" in listing.text
    assert (
        '<span class="nowrap">Mon 4 May 2026,</span> <span class="nowrap">10:00 EDT'
        in (page.text)
    )


def test_it_hides_the_top_bar_and_sign_out_when_printing(
    client, owner, individual_case, session
):
    client.force_login(owner.user)

    response = client.get(preview_url(individual_case), MAY)

    assert 'class="topbar"' in response.text
    assert "header.topbar, .topbar nav, .topbar .me, .topbar form.inline" in (
        response.text
    )
    assert "display: none !important" in response.text


def test_it_shows_amounts_with_thousands_separators(
    client, owner, practice, individual_case, clinician
):
    individual_case.session_fee = 1234
    individual_case.save()
    testing.build_appointment(
        individual_case,
        datetime(2026, 5, 4, 14, tzinfo=UTC),
        clinician=clinician,
        status="attended",
    )
    client.force_login(owner.user)

    statement = client.get(preview_url(individual_case), MAY)
    simulator = client.get(
        reverse("reports:simulator"),
        {**MAY, "allowances": "0", "fee": "1500"},
    )

    assert "1,234.00 USD" in statement.text
    assert "Difference = fees under the allowance minus fees as recorded" in (
        simulator.text
    )


def test_it_draws_a_scalable_chart_with_axis_values(client, owner, session):
    client.force_login(owner.user)

    response = client.get(reverse("reports:cancellations"), {"year": 2026})

    assert 'viewBox="0 -10 ' in response.text
    assert 'width="100%"' in response.text
    assert ">1</text>" in response.text  # the top of the value axis
    assert 'class="report-scroll"' in response.text
