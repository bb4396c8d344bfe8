from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from appointments import rescheduling, services
from clients.models import Client
from practices.models import StaffMember, StaffRole

from . import invites, presenters
from .access import (
    client_appointments,
    client_cases,
    get_appointment_for_client,
    get_case_for_client,
    portal_view,
    visible_requests,
)
from .forms import PortalPasswordResetForm, RescheduleForm, SignInForm

RECENT_PAST = 10
INVITING_ROLES = frozenset({StaffRole.OWNER, StaffRole.FRONT_DESK, StaffRole.CLINICIAN})


# Accounts.


class SignInView(auth_views.LoginView):
    template_name = "portal/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = False
    next_page = reverse_lazy("portal:home")


class SignOutView(auth_views.LogoutView):
    next_page = reverse_lazy("portal:sign_in")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "portal/password_reset.html"
    form_class = PortalPasswordResetForm
    email_template_name = "portal/emails/password_reset.txt"
    subject_template_name = "portal/emails/password_reset_subject.txt"
    success_url = reverse_lazy("portal:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "portal/password_reset_done.html"


class SetPasswordView(auth_views.PasswordResetConfirmView):
    template_name = "portal/set_password.html"
    success_url = reverse_lazy("portal:sign_in")

    def form_valid(self, form):
        messages.success(self.request, "Your password is set. Please sign in.")
        return super().form_valid(form)


@require_POST
@login_required
def invite(request, client_id):
    staff = StaffMember.objects.filter(user=request.user, user__is_active=True).first()
    if staff is None:
        raise Http404
    client = get_object_or_404(Client, pk=client_id, practice_id=staff.practice_id)
    if staff.role not in INVITING_ROLES:
        raise PermissionDenied

    try:
        user = invites.link_portal_user(client)
        invites.send_invite(client, user, request.build_absolute_uri("/"))
    except invites.InviteError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Portal invitation sent to {user.email}.")
    return redirect(_back_to_profile(request, client))


def _back_to_profile(request, client):
    for url in (request.POST.get("next"), request.headers.get("referer")):
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return url
    return f"/clients/{client.pk}/"


# Pages.


@portal_view
def home(request, client):
    now = timezone.now()
    appointments = client_appointments(client)

    upcoming = appointments.filter(end__gt=now).order_by("start")
    past = appointments.filter(end__lte=now).order_by("-start")[:RECENT_PAST]
    pending = visible_requests(client).filter(state="pending").order_by("-pk")
    return render(
        request,
        "portal/home.html",
        {
            "client": client,
            "practice": client.practice,
            "upcoming": presenters.appointment_rows(client, upcoming, now=now),
            "past": presenters.appointment_rows(client, past, now=now, actions=False),
            "pending": pending,
            "cases": client_cases(client),
        },
    )


@portal_view
def appointment_detail(request, client, pk):
    now = timezone.now()
    appointment = get_appointment_for_client(client, pk)

    row = presenters.appointment_rows(client, [appointment], now=now)[0]
    history = appointment.status_changes.filter(
        kind="reschedule", participant__isnull=True
    ).order_by("-pk")
    requests = visible_requests(client).filter(appointment=appointment)
    return render(
        request,
        "portal/appointment.html",
        {
            "practice": client.practice,
            "row": row,
            "appointment": appointment,
            "moves": history,
            "usage": _usage(client, appointment),
            "declined": presenters.declined_request(requests),
        },
    )


@portal_view
def case_detail(request, client, pk):
    now = timezone.now()
    case = get_case_for_client(client, pk)

    appointments = client_appointments(client).filter(case=case)
    upcoming = appointments.filter(end__gt=now).order_by("start")
    past = appointments.filter(end__lte=now).order_by("-start")[:RECENT_PAST]
    year = now.astimezone(client.practice.zone).year
    return render(
        request,
        "portal/case.html",
        {
            "practice": client.practice,
            "case": case,
            "upcoming": presenters.appointment_rows(client, upcoming, now=now),
            "past": presenters.appointment_rows(client, past, now=now, actions=False),
            "usage": _case_usage(client, case, year),
        },
    )


def _usage(client, appointment):
    year = appointment.start.astimezone(client.practice.zone).year
    return _case_usage(client, appointment.case, year)


def _case_usage(client, case, year):
    """Return the sentence about the year's planned absences, or None."""
    if not client.practice.portal_settings.use_allowance:
        return None
    if case.is_participant_level:
        membership = case.memberships.filter(client=client).first()
        if membership is None:
            return None
        return presenters.usage_sentence(services.member_usage(membership, year))
    shared = case.memberships.filter(left_on__isnull=True).count() > 1
    return presenters.usage_sentence(services.case_usage(case, year), shared=shared)


@portal_view
def cancel(request, client, pk):
    return _change(request, client, pk, absence=False)


@portal_view
def absence(request, client, pk):
    return _change(request, client, pk, absence=True)


def _change(request, client, pk, *, absence):
    now = timezone.now()
    appointment = get_appointment_for_client(client, pk)
    if appointment.case.is_participant_level != absence:
        # The other page is the right one for this kind of case.
        name = "portal:absence" if not absence else "portal:cancel"
        return redirect(name, pk=appointment.pk)

    if request.method == "POST":
        try:
            outcome = _submit(request.user, appointment.pk, now=now, absence=absence)
        except services.Refused as refused:
            return _confirm_page(request, client, appointment, now, refused.refusal)
        messages.success(request, _outcome_message(outcome, absence=absence))
        return redirect("portal:appointment", pk=appointment.pk)

    return _confirm_page(request, client, appointment, now)


def _submit(user, appointment_id, *, now, absence):
    try:
        if absence:
            return services.report_absence(user, appointment_id, now=now)
        return services.request_cancellation(user, appointment_id, now=now)
    except services.NotFound:
        raise Http404 from None


def _confirm_page(request, client, appointment, now, refusal=None):
    absence = appointment.case.is_participant_level
    try:
        preview = services.preview_cancellation(request.user, appointment.pk, now=now)
    except services.NotFound:
        raise Http404 from None

    refusal = refusal or preview.refusal
    row = presenters.appointment_rows(client, [appointment], now=now)[0]
    context = {
        "practice": client.practice,
        "appointment": appointment,
        "row": row,
        "absence": absence,
        "preview": preview,
        "can_reschedule": row.can_reschedule,
    }
    if refusal is not None:
        context["refusal"] = presenters.explain_refusal(
            refusal, current_label=row.status_label, participant=absence
        )
    elif preview.allowed:
        context["explanation"] = presenters.explain_cancellation(
            preview, absence=absence
        )
    return render(
        request,
        "portal/cancel.html",
        context,
        status=409 if request.method == "POST" else 200,
    )


def _outcome_message(outcome, *, absence):
    what = "absence notice" if absence else "cancellation request"
    label = presenters.status_label(outcome.status, group=absence)
    if outcome.outcome == "accepted" and absence:
        # The member's attendance changed; the group session goes ahead.
        fee = presenters.attendance_fee(outcome)
        return f"Done. Your attendance for this session: {label} ({fee})."
    if outcome.outcome == "accepted":
        return f"Done. The session is now: {label}."
    if outcome.outcome == "pending" and absence:
        return (
            "Your absence notice was sent. The practice will confirm it, and you "
            "will get an email. Until then you are still expected at the session."
        )
    if outcome.outcome == "pending":
        return (
            f"Your {what} was sent. The practice will confirm it, and you will "
            "get an email. Until then the session stays booked."
        )
    if outcome.request is not None:
        return f"Your {what} is already waiting for the practice. Nothing changed."
    if absence:
        return f"Nothing changed: your attendance is already recorded as {label}."
    return f"Nothing changed: the session is already {label}."


@require_POST
@portal_view
def withdraw(request, client, pk):
    try:
        cancellation = services.withdraw_request(request.user, pk, now=timezone.now())
    except services.NotFound:
        raise Http404 from None
    except services.ServiceError as error:
        messages.error(request, error.message)
        return redirect("portal:home")
    messages.success(request, "Your request is withdrawn. The session stays booked.")
    return redirect("portal:appointment", pk=cancellation.appointment_id)


@portal_view
def reschedule(request, client, pk):
    now = timezone.now()
    appointment = get_appointment_for_client(client, pk)
    error = None

    if request.method == "POST":
        form = RescheduleForm(request.POST)
        if form.is_valid():
            try:
                rescheduling.reschedule(
                    request.user,
                    appointment.pk,
                    form.cleaned_data["start"],
                    now=now,
                    expected_start=form.cleaned_data["expected_start"],
                )
            except services.NotFound:
                raise Http404 from None
            except services.ServiceError as failure:
                error = failure.message
            else:
                messages.success(request, "Done. Your session has moved.")
                return redirect("portal:appointment", pk=appointment.pk)
        else:
            error = "Please pick a new time."
        appointment.refresh_from_db()

    preview = rescheduling.preview_reschedule(request.user, appointment.pk, now=now)
    return render(
        request,
        "portal/reschedule.html",
        {
            "practice": client.practice,
            "appointment": appointment,
            "row": presenters.appointment_rows(client, [appointment], now=now)[0],
            "refusal": preview.refusal and presenters.explain_refusal(preview.refusal),
            "days": _by_day(preview.slots, client.practice.zone),
            "error": error,
        },
        status=409 if error else 200,
    )


def _by_day(slots, zone):
    days = {}
    for start in slots:
        local = start.astimezone(zone)
        days.setdefault(local.date(), []).append((start, local))
    return sorted(days.items())
