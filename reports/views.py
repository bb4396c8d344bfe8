from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from appointments.models import AppointmentStatus
from clients.models import Case
from practices.models import StaffRole

from . import charts
from .access import case_for, staff_view, statement_for
from .cancellations import STATUSES, cancellation_report
from .csvexport import csv_response
from .forms import PeriodForm, SimulatorForm, UsageForm, YearForm
from .models import Statement
from .simulator import simulate
from .statements import (
    ISSUING_ROLES,
    AlreadyIssued,
    StatementError,
    differences,
    issue_statement,
    issued_lines,
    statement_lines,
    total,
)
from .usage import allowance_usage

ROWS_PER_PAGE = 100


def _year_data(request, practice):
    """Return the filters with the year filled in (this year by default).

    The year box then shows the year the heading names.
    """
    data = request.GET.copy()
    if not data.get("year"):
        data["year"] = timezone.now().astimezone(practice.zone).year
    return data


def _invalid_csv(form):
    """A CSV asked for with filters that are wrong: say so, export nothing."""
    problems = "; ".join(
        f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()
    )
    return HttpResponseBadRequest(
        f"Invalid filter, nothing exported: {problems}",
        content_type="text/plain; charset=utf-8",
    )


@staff_view()
def index(request, staff):
    return render(
        request,
        "reports/index.html",
        {"staff": staff, "can_simulate": staff.role == StaffRole.OWNER},
    )


@staff_view()
def usage(request, staff):
    practice = staff.practice
    form = UsageForm(_year_data(request, practice), practice=practice)
    if not form.is_valid():
        if request.GET.get("format") == "csv":
            return _invalid_csv(form)
        return render(request, "reports/usage.html", {"form": form, "page": None})
    options = form.cleaned_data
    year = options["year"]
    rows = allowance_usage(
        practice, year, clinician=options.get("clinician"), kind=options.get("kind")
    )

    if request.GET.get("format") == "csv":
        return csv_response(
            f"allowance-usage-{practice.slug}-{year}.csv",
            [
                "case_id",
                "case",
                "kind",
                "member",
                "allowance",
                "used",
                "remaining",
                "over",
            ],
            (
                [
                    r.case_id,
                    r.case_title,
                    r.kind,
                    r.member,
                    r.usage.allowance,
                    r.usage.used,
                    r.usage.remaining,
                    r.over,
                ]
                for r in rows
            ),
        )

    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/usage.html",
        {
            "form": form,
            "year": year,
            "page": page,
            "query": query.urlencode(),
            "use_allowance": practice.portal_settings.use_allowance,
        },
    )


@staff_view()
def cancellations(request, staff):
    practice = staff.practice
    form = YearForm(_year_data(request, practice), practice=practice)
    if not form.is_valid():
        if request.GET.get("format") == "csv":
            return _invalid_csv(form)
        return render(request, "reports/cancellations.html", {"form": form})
    year = form.cleaned_data["year"]
    clinician = form.cleaned_data.get("clinician")
    report = cancellation_report(practice, year, clinician=clinician)
    labels = [AppointmentStatus(s).label for s in STATUSES]

    if request.GET.get("format") == "csv":
        return csv_response(
            f"cancellations-{practice.slug}-{year}.csv",
            ["month", "clinician", *labels, "Reschedules"],
            (
                [f"{month:%Y-%m}", name, *counts, moves]
                for month, name, counts, moves in report.rows()
            ),
        )

    months = report.by_month()
    chart = charts.stacked_bars(
        [
            (f"{month:%b}", [counts.get(s, 0) for s in STATUSES])
            for month, counts, _ in months
        ],
        labels,
    )
    totals = report.totals()
    return render(
        request,
        "reports/cancellations.html",
        {
            "form": form,
            "year": year,
            "labels": labels,
            "months": [
                (month, [counts.get(s, 0) for s in STATUSES], moves)
                for month, counts, moves in months
            ],
            "rows": report.rows(),
            "totals": [totals[s] for s in STATUSES],
            "reschedules": report.reschedule_total,
            "chart": chart,
        },
    )


@staff_view()
def statements(request, staff):
    query = request.GET.get("q", "").strip()
    cases = []
    if query:
        cases = (
            Case.objects.filter(practice_id=staff.practice_id)
            .filter(
                Q(title__icontains=query)
                | Q(members__external_id=query)
                | Q(members__name__icontains=query)
            )
            .distinct()
            .order_by("title")[:50]
        )
    issued = Statement.objects.filter(practice_id=staff.practice_id).select_related(
        "case"
    )[:50]
    return render(
        request,
        "reports/statements.html",
        {
            "query": query,
            "cases": cases,
            "issued": issued,
            "practice": staff.practice,
        },
    )


@staff_view()
def statement_preview(request, staff, case_id):
    case = case_for(staff, case_id)
    data = request.POST if request.method == "POST" else request.GET
    form = PeriodForm(data or None)
    lines = []
    if form.is_valid():
        first, last = form.cleaned_data["start"], form.cleaned_data["end"]
        if request.method == "POST":
            return _issue(request, staff, case, first, last)
        lines = statement_lines(case, first, last)
        if request.GET.get("format") == "csv":
            return _statement_csv(
                f"statement-case-{case.pk}-{first}-{last}.csv", lines, staff.practice
            )

    return render(
        request,
        "reports/statement.html",
        {
            "case": case,
            "form": form,
            "lines": lines,
            "total": total(lines),
            "practice": staff.practice,
            "can_issue": staff.role in ISSUING_ROLES,
            "issued": case.statements.all()[:20],
        },
    )


def _issue(request, staff, case, first, last):
    if staff.role not in ISSUING_ROLES:
        messages.error(request, "Only an owner or a biller issues statements.")
        return redirect("reports:statement_preview", case_id=case.pk)
    try:
        statement = issue_statement(staff, case, first, last, now=timezone.now())
    except AlreadyIssued as error:
        # A second click (or a re-issue of an unchanged statement) shows
        # the statement already issued instead of billing twice.
        messages.info(request, str(error))
        return redirect("reports:statement", statement_id=error.statement.pk)
    except StatementError as error:
        messages.error(request, str(error))
        url = reverse("reports:statement_preview", args=[case.pk])
        return redirect(f"{url}?{urlencode({'start': first, 'end': last})}")
    return redirect("reports:statement", statement_id=statement.pk)


@staff_view()
def statement(request, staff, statement_id):
    issued = statement_for(staff, statement_id)
    lines = issued_lines(issued)
    if request.GET.get("format") == "csv":
        return _statement_csv(f"statement-{issued.pk}.csv", lines, staff.practice)
    return render(
        request,
        "reports/issued_statement.html",
        {
            "statement": issued,
            "case": issued.case,
            "lines": lines,
            "changes": differences(issued),
            "practice": staff.practice,
        },
    )


def _statement_csv(filename, lines, practice):
    zone = practice.zone
    return csv_response(
        filename,
        ["appointment_id", "start", "status", "fee", "fee_due", "currency"],
        (
            [
                line.appointment_id,
                line.start.astimezone(zone).isoformat(),
                line.status_label,
                line.fee,
                line.fee_due,
                practice.currency,
            ]
            for line in lines
        ),
    )


@staff_view(roles={StaffRole.OWNER})
def simulator(request, staff):
    practice = staff.practice
    form = SimulatorForm(request.GET or None)
    outcomes = []
    if form.is_valid():
        data = form.cleaned_data
        outcomes = simulate(
            practice,
            data["start"],
            data["end"],
            data["allowances"],
            no_shows=data["no_shows"],
            fee=data["fee"],
        )
    return render(
        request,
        "reports/simulator.html",
        {"form": form, "outcomes": outcomes, "practice": practice},
    )
