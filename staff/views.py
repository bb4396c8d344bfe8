"""The staff pages. Thin: each view finds its objects through the access
helpers, reads the clock once, calls a service and renders the result."""

from collections import defaultdict
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from appointments import policy
from appointments import services as appointment_services
from appointments.models import (
    Appointment,
    AppointmentStatus,
    CancellationRequest,
    ChangeKind,
    ParticipantStatus,
    RequestState,
    StatusChange,
)
from appointments.services import (
    CancellationPreview,
    NotAllowed,
    NotFound,
    ServiceError,
)
from clients import services as client_services
from clients.models import Case, CaseKind, Client, Membership
from practicerunner.lib.money import format_money
from practicerunner.lib.timezones import day_bounds, week_start
from practices import services as practice_services
from practices.models import StaffMember, StaffRole

from . import figures, forms, wording
from .access import (
    get_appointment_for_user,
    get_case_for_user,
    get_client_for_user,
    get_clinician_for_user,
    get_participant_for_user,
    get_request_for_user,
    get_staff_for_user,
    may_set_statuses,
    require_owner,
    require_status_role,
)

CLINICAL_ROLES = (StaffRole.OWNER, StaffRole.CLINICIAN)


def staff_view(view):
    """Require a sign-in, and answer the services' refusals as HTTP errors."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from error
        except NotAllowed as error:
            raise PermissionDenied(error.message) from error

    return wrapper


def _page(request, staff, template, context, status=200):
    practice = staff.practice
    context = {
        "staff": staff,
        "practice": practice,
        "zone": practice.time_zone,
        "this_year": wording.this_year(timezone.now(), practice.zone),
        **context,
    }
    return render(request, f"staff/{template}", context, status=status)


# Signing in and out.


class SignInView(auth_views.LoginView):
    authentication_form = forms.StaffSignInForm


class SignOutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You are signed out.")
        return response


# Schedule.


@staff_view
def home(request):
    get_staff_for_user(request)

    return redirect("staff:schedule")


def _chosen_clinician(request, staff, clinicians):
    """Return the clinician whose schedule to show, or None for everyone."""
    choice = request.GET.get("clinician", "")
    if choice == "all":
        return None
    if choice.isdigit():
        for clinician in clinicians:
            if clinician.pk == int(choice):
                return clinician
        # Like a bad date, a stale or foreign id falls back to a safe view.
        messages.error(request, "That clinician is not in your practice.")
        return None
    return staff if staff.is_clinician else None


def _date_param(request):
    """Return the date asked for, or None for none or one out of range."""
    text = request.GET.get("date", "")
    try:
        value = parse_date(text)
    except ValueError:
        # A well-formed but impossible date such as 2026-02-30.
        value = None
    if text and value is None:
        messages.error(request, "That is not a date. Showing today.")
        return None
    if value is not None and not forms.FIRST_DAY <= value <= forms.LAST_DAY:
        messages.error(request, f"{forms.DATE_RANGE_MESSAGE} Showing today.")
        return None
    return value


def _allowance_marks(practice, appointments, year):
    """Return {appointment id: mark} for cases that used their allowance."""
    # TODO: the marks count `year` only, so a week across New Year marks
    # January's sessions with the old year's figures; count per session year.
    if not practice.portal_settings.use_allowance:
        return {}
    cases = {a.case_id: a.case for a in appointments}
    members = [
        m for c in cases.values() if c.is_participant_level for m in c.memberships.all()
    ]
    case_counts = figures.case_counts(practice, list(cases), [year])
    member_counts = figures.member_counts(practice, [m.pk for m in members], [year])

    marks = {}
    for case in cases.values():
        allowance = figures.allowance(case, practice)
        if case.is_participant_level:
            names = [
                m.client.name
                for m in case.memberships.all()
                if member_counts[(m.pk, year)] >= allowance
            ]
            if allowance == 0:
                marks[case.pk] = wording.allowance_mark(policy.Usage(year, 0, 0))
            elif names:
                marks[case.pk] = f"Allowance {year} used: " + ", ".join(names)
        elif case_counts[(case.pk, year)] >= allowance:
            usage = policy.Usage(year, case_counts[(case.pk, year)], allowance)
            marks[case.pk] = wording.allowance_mark(usage)
    return {a.pk: marks.get(a.case_id) for a in appointments}


@staff_view
def schedule(request):
    staff = get_staff_for_user(request)
    practice = staff.practice
    now = timezone.now()
    today = now.astimezone(practice.zone).date()

    week = request.GET.get("view") == "week"
    day = _date_param(request) or today
    first = week_start(day) if week else day
    length = 7 if week else 1
    start, _ = day_bounds(first, practice.zone)
    _, end = day_bounds(first + timedelta(days=length - 1), practice.zone)

    clinicians = list(
        StaffMember.objects.filter(practice=practice, role__in=CLINICAL_ROLES)
    )
    clinician = _chosen_clinician(request, staff, clinicians)

    members = Membership.objects.select_related("client")
    appointments = (
        Appointment.objects.filter(practice=practice, start__gte=start, start__lt=end)
        .select_related("case", "clinician")
        .prefetch_related(Prefetch("case__memberships", queryset=members))
    )
    if clinician is not None:
        appointments = appointments.filter(clinician=clinician)
    appointments = list(appointments)
    marks = _allowance_marks(practice, appointments, today.year)

    by_day = defaultdict(list)
    for appointment in appointments:
        appointment.mark = marks.get(appointment.pk)
        by_day[appointment.start.astimezone(practice.zone).date()].append(appointment)
    days = [
        (first + timedelta(days=n), by_day[first + timedelta(days=n)])
        for n in range(length)
    ]

    step = timedelta(days=length)
    previous, following = first - step, first + step
    return _page(
        request,
        staff,
        "schedule.html",
        {
            "week": week,
            "day": day,
            "today": today,
            "days": days,
            "count": len(appointments),
            # Paging stops at the ends of the range rather than fail there.
            "previous": previous if previous >= forms.FIRST_DAY else None,
            "next": following if following <= forms.LAST_DAY else None,
            "first_day": forms.FIRST_DAY,
            "last_day": forms.LAST_DAY,
            "clinicians": clinicians,
            "clinician": clinician,
            "clinician_param": clinician.pk if clinician else "all",
            "may_set": may_set_statuses(staff),
            "statuses": AppointmentStatus.choices,
        },
    )


@staff_view
@require_POST
def bulk_status(request):
    staff = get_staff_for_user(request)
    require_status_role(staff)
    ids = [int(i) for i in request.POST.getlist("appointment") if i.isdigit()]
    form = forms.BulkStatusForm(request.POST, appointment_ids=ids)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        back = reverse("staff:schedule")

    if not form.is_valid():
        messages.error(request, "Select at least one appointment and a status.")
        return redirect(back)

    data = form.cleaned_data
    try:
        result = appointment_services.set_appointment_statuses(
            request.user,
            data["appointment"],
            data["status"],
            now=timezone.now(),
            acknowledged=data["acknowledged"],
        )
    except (NotFound, NotAllowed):
        raise
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(back)

    label = AppointmentStatus(data["status"]).label
    if result.needs_acknowledgement:
        selected = Appointment.objects.filter(
            practice=staff.practice, pk__in=data["appointment"]
        ).select_related("case", "clinician")
        return _page(
            request,
            staff,
            "bulk_confirm.html",
            {
                "warnings": result.warnings,
                "appointments": selected,
                "status": data["status"],
                "label": label,
                "next": back,
            },
        )
    count = wording.plural(len(result.changes), "appointment")
    messages.success(request, f"{count} set to {label}.")
    return redirect(back)


@staff_view
def appointment_create(request):
    staff = get_staff_for_user(request)
    require_status_role(staff)
    practice = staff.practice
    clinicians = StaffMember.objects.filter(practice=practice, role__in=CLINICAL_ROLES)
    initial = {"date": request.GET.get("date"), "case": request.GET.get("case")}
    if staff.role in CLINICAL_ROLES:
        initial["clinician"] = staff.pk
    form = forms.AppointmentForm(
        request.POST or None, practice=practice, clinicians=clinicians, initial=initial
    )

    overlap = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = appointment_services.create_appointments(
                request.user,
                case=data["case"],
                clinician=data["clinician"],
                start=form.start(),
                duration=form.duration(),
                now=timezone.now(),
                weeks=data["weeks"],
                allow_overlap=data["allow_overlap"],
            )
        except (NotFound, NotAllowed):
            raise
        except appointment_services.Overlap as error:
            overlap = error.message
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            count = len(created)
            what = "1 appointment" if count == 1 else f"{count} weekly appointments"
            messages.success(request, f"Created {what} for {data['case']}.")
            return redirect("staff:appointment", created[0].pk)

    return _page(
        request,
        staff,
        "appointment_form.html",
        {
            "form": form,
            "overlap": overlap,
            "first_day": forms.FIRST_DAY,
            "last_day": forms.LAST_DAY,
        },
    )


# Appointment page.


def _who(user):
    if user is None:
        return "System"
    for name in ("staff", "client"):
        try:
            return str(getattr(user, name))
        except ObjectDoesNotExist:
            continue
    return user.get_username()


def _history(appointment, zone):
    changes = StatusChange.objects.filter(appointment=appointment).select_related(
        "changed_by__staff", "changed_by__client", "participant__client"
    )
    rows = []
    for change in changes:
        choices = ParticipantStatus if change.participant_id else AppointmentStatus
        labels = dict(choices.choices)
        rows.append(
            {
                "change": change,
                "who": _who(change.changed_by),
                "member": change.participant.client if change.participant else None,
                "from": labels.get(change.from_status, change.from_status),
                "to": labels.get(change.to_status, change.to_status),
                "moved": _moved(change, zone),
                "figures": _figures(change),
            }
        )
    return rows


def _moved(change, zone):
    """Return "Moved from ... to ..." for a reschedule row, else None."""
    if change.kind != ChangeKind.RESCHEDULE or not (
        change.from_start and change.to_start
    ):
        return None
    before = wording.stamp(change.from_start, zone)
    after = wording.stamp(change.to_start, zone)
    return f"Moved from {before} to {after}"


def _figures(change):
    """Return the figures the change was decided on, before it took effect."""
    if change.allowance is None:
        return None
    usage = policy.Usage(change.year, change.used, change.allowance)
    return f"before: {wording.used_in(usage)}"


def _previews(request, appointment, now, currency):
    """Return [(client or None, preview, line)] for the preview panel."""
    if appointment.start <= now:
        return []
    preview = appointment_services.preview_for_staff
    if appointment.case.is_participant_level:
        found = [
            (
                p,
                preview(request.user, appointment.pk, now=now, client_id=p.client_id),
            )
            for p in appointment.participants.select_related("client")
        ]
    else:
        found = [(None, preview(request.user, appointment.pk, now=now))]
    return [
        (
            participant.client if participant else None,
            p,
            wording.preview_refusal(p, participant)
            if p.refusal
            else wording.cancellation_preview(p, currency),
        )
        for participant, p in found
    ]


def _render_appointment(request, staff, appointment, **state):
    now = timezone.now()
    status_form = state.get("status_form") or forms.StatusForm(
        initial={"status": appointment.status}
    )
    participant_rows = []
    for participant in appointment.participants.all():
        failed = state.get("participant_id") == participant.pk
        form = (
            state["participant_form"]
            if failed
            else forms.ParticipantStatusForm(
                initial={"status": participant.status}, prefix=f"p{participant.pk}"
            )
        )
        participant_rows.append(
            {
                "participant": participant,
                "form": form,
                "warnings": state.get("participant_warnings") if failed else None,
            }
        )
    return _page(
        request,
        staff,
        "appointment.html",
        {
            "appointment": appointment,
            "case": appointment.case,
            "fee": format_money(appointment.fee, staff.practice.currency),
            "may_set": may_set_statuses(staff),
            "status_form": status_form,
            "warnings": state.get("warnings"),
            "participant_rows": participant_rows,
            "history": _history(appointment, staff.practice.zone),
            "previews": _previews(request, appointment, now, staff.practice.currency),
            "currency": staff.practice.currency,
        },
    )


@staff_view
def appointment_detail(request, pk):
    staff, appointment = get_appointment_for_user(request, pk)

    return _render_appointment(request, staff, appointment)


def _set_status(form, set_status, actor, object_id):
    """Run a status service with a valid form's choice.

    Return the service's result, or None with its refusal added to the form.
    Not-found and not-allowed errors go on to the staff_view decorator.
    """
    data = form.cleaned_data
    try:
        return set_status(
            actor,
            object_id,
            data["status"],
            now=timezone.now(),
            acknowledged=data["acknowledged"],
        )
    except (NotFound, NotAllowed):
        raise
    except ServiceError as error:
        form.add_error("status", error.message)
        return None


@staff_view
@require_POST
def appointment_status(request, pk):
    staff, appointment = get_appointment_for_user(request, pk)
    require_status_role(staff)
    form = forms.StatusForm(request.POST)

    if not form.is_valid():
        return _render_appointment(request, staff, appointment, status_form=form)

    result = _set_status(
        form, appointment_services.set_appointment_status, request.user, appointment.pk
    )
    if result is None:
        return _render_appointment(request, staff, appointment, status_form=form)

    if result.needs_acknowledgement:
        return _render_appointment(
            request, staff, appointment, status_form=form, warnings=result.warnings
        )
    label = AppointmentStatus(form.cleaned_data["status"]).label
    if result.changed:
        messages.success(request, f"Status set to {label}.")
    else:
        messages.info(request, f"The status already was {label}.")
    return redirect("staff:appointment", appointment.pk)


@staff_view
@require_POST
def participant_status(request, pk, participant_id):
    staff, participant = get_participant_for_user(request, pk, participant_id)
    require_status_role(staff)
    form = forms.ParticipantStatusForm(request.POST, prefix=f"p{participant.pk}")

    def again(**state):
        _, appointment = get_appointment_for_user(request, pk)
        return _render_appointment(
            request,
            staff,
            appointment,
            participant_id=participant.pk,
            participant_form=form,
            **state,
        )

    if not form.is_valid():
        return again()

    result = _set_status(
        form, appointment_services.set_participant_status, request.user, participant.pk
    )
    if result is None:
        return again()

    if result.needs_acknowledgement:
        return again(participant_warnings=result.warnings)
    label = ParticipantStatus(form.cleaned_data["status"]).label
    messages.success(request, f"{participant.client}: status set to {label}.")
    return redirect("staff:appointment", pk)


# Cases.


@staff_view
def case_list(request):
    staff = get_staff_for_user(request)
    cases = Case.objects.filter(practice=staff.practice).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("client")),
        "clinicians",
    )

    return _page(request, staff, "case_list.html", {"cases": cases})


def _render_case(request, staff, case, form=None):
    practice = staff.practice
    year = timezone.now().astimezone(practice.zone).year
    form = form or forms.AllowanceForm(initial={"allowance": case.allowance_override})
    upcoming = Appointment.objects.filter(
        case=case, start__gte=timezone.now()
    ).select_related("clinician")[:10]

    return _page(
        request,
        staff,
        "case.html",
        {
            "case": case,
            "fee": format_money(case.session_fee, practice.currency),
            "default": practice.portal_settings.default_allowance,
            "use_allowance": practice.portal_settings.use_allowance,
            "form": form,
            "may_edit": staff.role in client_services.ALLOWANCE_ROLES,
            "years": figures.usage_by_year(practice, case, [year, year + 1]),
            "upcoming": upcoming,
        },
    )


@staff_view
def case_detail(request, pk):
    staff, case = get_case_for_user(request, pk)

    return _render_case(request, staff, case)


@staff_view
@require_POST
def case_allowance(request, pk):
    staff, case = get_case_for_user(request, pk)
    form = forms.AllowanceForm(request.POST)

    if not form.is_valid():
        return _render_case(request, staff, case, form)

    value = form.cleaned_data["allowance"]
    client_services.set_allowance_override(
        request.user, case.pk, value, now=timezone.now()
    )
    messages.success(request, _allowance_message(case.title, value, staff))
    return redirect("staff:case", case.pk)


def _allowance_message(title, value, staff):
    if value is None:
        default = staff.practice.portal_settings.default_allowance
        return f"{title} now uses the practice default ({default})."
    return f"{title} now allows {value} planned absences per year."


# Clients.


@staff_view
def client_list(request):
    staff = get_staff_for_user(request)
    query = request.GET.get("q", "").strip()
    clients = Client.objects.filter(practice=staff.practice).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("case"))
    )
    if query:
        clients = clients.filter(name__icontains=query)

    return _page(
        request, staff, "client_list.html", {"clients": clients, "query": query}
    )


def _individual_case(client):
    for membership in client.memberships.all():
        if membership.case.kind == CaseKind.INDIVIDUAL:
            return membership.case
    return None


def _portal_invite_url(client):
    # The portal app provides the invitation; until it does, no button.
    try:
        return reverse("portal:invite", args=[client.pk])
    except NoReverseMatch:
        return None


def _render_client(request, staff, client, form=None):
    individual = _individual_case(client)
    initial = {"allowance": individual.allowance_override if individual else None}
    others = [
        m.case for m in client.memberships.all() if m.case.kind != CaseKind.INDIVIDUAL
    ]

    return _page(
        request,
        staff,
        "client.html",
        {
            "client": client,
            "individual": individual,
            "others": others,
            "form": form or forms.AllowanceForm(initial=initial),
            "default": staff.practice.portal_settings.default_allowance,
            "may_edit_policy": staff.role in client_services.ALLOWANCE_ROLES,
            "may_edit": staff.role in client_services.CLIENT_EDIT_ROLES,
            "invite_url": _portal_invite_url(client),
        },
    )


@staff_view
def client_detail(request, pk):
    staff, client = get_client_for_user(request, pk)

    return _render_client(request, staff, client)


@staff_view
@require_POST
def client_policy(request, pk):
    staff, client = get_client_for_user(request, pk)
    individual = _individual_case(client)
    if individual is None:
        raise Http404("This client has no individual case.")
    form = forms.AllowanceForm(request.POST)

    if not form.is_valid():
        return _render_client(request, staff, client, form)

    value = form.cleaned_data["allowance"]
    client_services.set_allowance_override(
        request.user, individual.pk, value, now=timezone.now()
    )
    messages.success(
        request, "Individual sessions: " + _allowance_message(client.name, value, staff)
    )
    return redirect("staff:client", client.pk)


@staff_view
def client_edit(request, pk):
    staff, client = get_client_for_user(request, pk)
    if staff.role not in client_services.CLIENT_EDIT_ROLES:
        raise PermissionDenied("Your role cannot change client details.")
    now = timezone.now()
    form = forms.ClientDetailsForm(
        request.POST or None,
        instance=client,
        today=now.astimezone(staff.practice.zone).date(),
    )

    if request.method == "POST" and form.is_valid():
        try:
            client_services.update_client_details(
                request.user, client.pk, now=now, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved {form.cleaned_data['name']}'s details.")
            return redirect("staff:client", client.pk)

    return _page(request, staff, "client_edit.html", {"client": client, "form": form})


# Settings.


def _settings_page(request, form_class, update, template, label):
    staff = get_staff_for_user(request)
    practice = staff.practice
    instance = {
        forms.PortalSettingsForm: practice.portal_settings,
        forms.BillingSettingsForm: practice.billing_settings,
    }[form_class]
    if request.method == "POST":
        require_owner(staff)
    form = form_class(request.POST or None, instance=instance)

    if request.method == "POST" and form.is_valid():
        update(request.user, **form.values())
        messages.success(request, f"{label} settings saved.")
        return redirect(request.path)

    return _page(
        request,
        staff,
        template,
        {"form": form, "may_edit": staff.is_owner, "label": label},
    )


@staff_view
def portal_settings(request):
    return _settings_page(
        request,
        forms.PortalSettingsForm,
        practice_services.update_portal_settings,
        "settings_portal.html",
        "Portal",
    )


@staff_view
def billing_settings(request):
    return _settings_page(
        request,
        forms.BillingSettingsForm,
        practice_services.update_billing_settings,
        "settings_billing.html",
        "Billing",
    )


# Working hours.


@staff_view
def hours_list(request):
    staff = get_staff_for_user(request)
    clinicians = StaffMember.objects.filter(
        practice=staff.practice, role__in=CLINICAL_ROLES
    ).prefetch_related("working_hours")

    return _page(request, staff, "hours_list.html", {"clinicians": clinicians})


@staff_view
def hours_edit(request, pk):
    staff, clinician = get_clinician_for_user(request, pk)
    may_edit = practice_services.may_edit_working_hours(staff, clinician)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied("Only the owner or the clinician can change these.")
    form = forms.WorkingHoursForm(
        request.POST or None, hours=clinician.working_hours.all()
    )

    if request.method == "POST" and form.is_valid():
        practice_services.set_working_hours(request.user, clinician.pk, form.blocks())
        messages.success(request, f"Working hours of {clinician} saved.")
        return redirect("staff:hours", clinician.pk)

    return _page(
        request,
        staff,
        "hours.html",
        {"clinician": clinician, "form": form, "may_edit": may_edit},
    )


# Cancellation requests.


def _acceptance_figures(practice, requests):
    """Return {request id: what accepting it would do now}, in two queries."""
    zone = practice.zone
    portal, billing = practice.portal_settings, practice.billing_settings
    years = {r.appointment.start.astimezone(zone).year for r in requests}
    case_counts = figures.case_counts(
        practice,
        [r.appointment.case_id for r in requests if not r.participant_id],
        years,
    )
    member_counts = figures.member_counts(
        practice,
        [r.participant.membership_id for r in requests if r.participant_id],
        years,
    )

    outcomes = {}
    for request in requests:
        appointment, participant = request.appointment, request.participant
        year = appointment.start.astimezone(zone).year
        current = participant.status if participant else appointment.status
        if current not in policy.OPEN_STATUSES:
            outcomes[request.pk] = {"closed": True}
            continue
        if participant:
            used = member_counts[(participant.membership_id, year)]
        else:
            used = case_counts[(appointment.case_id, year)]
        usage = policy.Usage(year, used, figures.allowance(appointment.case, practice))
        status = policy.client_cancellation_status(
            use_allowance=portal.use_allowance, usage=usage
        )
        fee = policy.fee_due(
            status=status,
            fee=appointment.fee,
            canceled_by_client_keeps_fee=billing.canceled_by_client_keeps_fee,
            no_show_keeps_fee=billing.no_show_keeps_fee,
        )
        preview = CancellationPreview(
            appointment,
            status=status,
            usage=usage if portal.use_allowance else None,
            fee_kept=fee,
        )
        outcomes[request.pk] = {
            "status": preview.status_label,
            "details": wording.cancellation_preview(preview, practice.currency),
        }
    return outcomes


def _chosen_outcome(item, status, currency):
    """Say what Save anyway records for a chosen status, e.g. "Planned
    absence, no fee"."""
    appointment = item.appointment
    billing = appointment.practice.billing_settings
    fee = policy.fee_due(
        status=status,
        fee=appointment.fee,
        canceled_by_client_keeps_fee=billing.canceled_by_client_keeps_fee,
        no_show_keeps_fee=billing.no_show_keeps_fee,
    )
    choices = ParticipantStatus if item.participant_id else AppointmentStatus
    return f"{choices(status).label}, {wording.money(fee, currency)}"


def _render_queue(request, staff, **state):
    practice = staff.practice
    pending = list(
        CancellationRequest.objects.filter(
            practice=practice, state=RequestState.PENDING
        )
        .select_related(
            "client",
            "appointment__case",
            "appointment__clinician",
            "participant__membership",
        )
        .order_by("requested_at", "pk")
    )
    outcomes = _acceptance_figures(practice, pending)
    rows = []
    for item in pending:
        failed = state.get("request_id") == item.pk
        prefix = f"r{item.pk}"
        accept = state.get("accept_form") if failed else None
        accept = accept or forms.AcceptForm(
            prefix=prefix, participant_level=bool(item.participant_id)
        )
        decline = state.get("decline_form") if failed else None
        warnings = state.get("warnings") if failed else None
        rows.append(
            {
                "request": item,
                "outcome": outcomes[item.pk],
                "accept": accept,
                "decline": decline or forms.DeclineForm(prefix=prefix),
                "warnings": warnings,
                "records": state.get("records") if warnings else None,
                "error": state.get("error") if failed else None,
            }
        )

    return _page(
        request,
        staff,
        "requests.html",
        {"rows": rows, "may_decide": may_set_statuses(staff)},
    )


@staff_view
def request_queue(request):
    staff = get_staff_for_user(request)

    return _render_queue(request, staff)


def _request_summary(item, this_year):
    appointment = item.appointment
    when = wording.moment(appointment.start, appointment.practice.zone, this_year)
    return f"{item.client}'s request for {appointment.case} on {when}"


def _decided_already(request, item):
    """Send a stale tab's decision back to the queue with the reason.

    A request that is no longer pending has no row in the queue to show an
    error in, so the reason is shown as a message instead.
    """
    messages.error(
        request, f"This request was already {item.get_state_display().lower()}."
    )
    return redirect("staff:requests")


@staff_view
@require_POST
def request_accept(request, pk):
    staff, item = get_request_for_user(request, pk)
    require_status_role(staff)
    participant_level = bool(item.participant_id)
    form = forms.AcceptForm(
        request.POST, prefix=f"r{item.pk}", participant_level=participant_level
    )

    if not form.is_valid():
        if item.state != RequestState.PENDING:
            return _decided_already(request, item)
        return _render_queue(request, staff, request_id=item.pk, accept_form=form)

    data = form.cleaned_data
    now = timezone.now()
    try:
        result = appointment_services.accept_request(
            request.user,
            item.pk,
            now=now,
            status=data["status"] or None,
            acknowledged=data["acknowledged"],
        )
    except (NotFound, NotAllowed):
        raise
    except ServiceError as error:
        item.refresh_from_db()
        if item.state != RequestState.PENDING:
            messages.error(request, error.message)
            return redirect("staff:requests")
        return _render_queue(
            request, staff, request_id=item.pk, accept_form=form, error=error.message
        )

    if result.needs_acknowledgement:
        # Only a chosen Planned absence asks; say what saving records.
        records = _chosen_outcome(item, data["status"], staff.practice.currency)
        return _render_queue(
            request,
            staff,
            request_id=item.pk,
            accept_form=form,
            warnings=result.warnings,
            records=records,
        )
    item.refresh_from_db()
    choices = ParticipantStatus if participant_level else AppointmentStatus
    label = choices(item.resulting_status).label
    summary = _request_summary(item, wording.this_year(now, staff.practice.zone))
    messages.success(request, f"Accepted {summary}: {label}.")
    return redirect("staff:requests")


@staff_view
@require_POST
def request_decline(request, pk):
    staff, item = get_request_for_user(request, pk)
    require_status_role(staff)
    form = forms.DeclineForm(request.POST, prefix=f"r{item.pk}")

    if not form.is_valid():
        if item.state != RequestState.PENDING:
            return _decided_already(request, item)
        return _render_queue(request, staff, request_id=item.pk, decline_form=form)

    now = timezone.now()
    try:
        appointment_services.decline_request(
            request.user, item.pk, now=now, message=form.cleaned_data["message"]
        )
    except (NotFound, NotAllowed):
        raise
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("staff:requests")

    summary = _request_summary(item, wording.this_year(now, staff.practice.zone))
    messages.success(request, f"Declined {summary}.")
    return redirect("staff:requests")
