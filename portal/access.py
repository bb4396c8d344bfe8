"""Who may see what in the portal.

Every portal view calls one of these first. A client sees only the cases
they are a current member of and those cases' appointments; any other id
answers 404, the same as an id that does not exist. A former member loses
access, as the services refuse their changes too.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from appointments.models import Appointment, CancellationRequest
from clients.models import PARTICIPANT_LEVEL_KINDS, Case, Client


def portal_view(view):
    """Require a signed-in portal client; pass it to the view as `client`."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("portal:sign_in"))
        return view(request, client_for_user(request.user), *args, **kwargs)

    return wrapper


def client_for_user(user):
    client = (
        Client.objects.select_related(
            "practice__portal_settings", "practice__billing_settings"
        )
        .filter(portal_user=user, portal_user__is_active=True)
        .first()
    )
    if client is None:
        raise Http404("No client account is linked to this sign-in.")
    return client


def client_appointments(client):
    """Return the appointments of every case the client belongs to."""
    return (
        Appointment.objects.filter(
            practice_id=client.practice_id,
            case__memberships__client=client,
            case__memberships__left_on__isnull=True,
        )
        .select_related("case", "clinician")
        .distinct()
    )


def get_appointment_for_client(client, appointment_id):
    return get_object_or_404(client_appointments(client), pk=appointment_id)


def client_cases(client):
    """Return the cases the client is a current member of."""
    return Case.objects.filter(
        practice_id=client.practice_id,
        memberships__client=client,
        memberships__left_on__isnull=True,
    ).distinct()


def get_case_for_client(client, case_id):
    return get_object_or_404(client_cases(client), pk=case_id)


def visible_requests(client):
    """Return the requests the client may see.

    Their own, and, for cases where members share the session (individual,
    two-person, family), their fellow members' requests too.
    """
    shared = Q(
        appointment__case__memberships__client=client,
        appointment__case__memberships__left_on__isnull=True,
        participant__isnull=True,
    ) & ~Q(appointment__case__kind__in=PARTICIPANT_LEVEL_KINDS)
    return (
        CancellationRequest.objects.filter(practice_id=client.practice_id)
        .filter(Q(client=client) | shared)
        .select_related("appointment__case", "appointment__clinician", "client")
        .distinct()
    )
