"""The "get X for user" helpers every staff view calls first.

Each returns the object only when it belongs to the signed-in staff
member's practice and raises Http404 otherwise, so a URL naming another
practice's object looks exactly like one naming nothing.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from appointments.models import Appointment, CancellationRequest, Participant
from appointments.services import STATUS_SETTING_ROLES
from clients.models import Case, Client, Membership
from practices.models import StaffMember


def get_staff_for_user(request):
    """Return the signed-in staff member; 403 for a sign-in without one.

    The staff member is kept on the request for the navigation.
    """
    staff = (
        StaffMember.objects.select_related(
            "practice__portal_settings", "practice__billing_settings"
        )
        .filter(user=request.user, user__is_active=True)
        .first()
    )
    if staff is None:
        raise PermissionDenied("This sign-in is not a staff member's.")
    request.staff_member = staff
    return staff


def may_set_statuses(staff):
    return staff.role in STATUS_SETTING_ROLES


def require_status_role(staff):
    if not may_set_statuses(staff):
        raise PermissionDenied("Your role cannot change appointment statuses.")


def require_owner(staff):
    if not staff.is_owner:
        raise PermissionDenied("Only the practice's owner can change this.")


def get_appointment_for_user(request, appointment_id):
    staff = get_staff_for_user(request)
    participants = Participant.objects.select_related("client", "membership")
    appointment = get_object_or_404(
        Appointment.objects.select_related("case", "clinician").prefetch_related(
            Prefetch("participants", queryset=participants),
            "case__members",
        ),
        pk=appointment_id,
        practice_id=staff.practice_id,
    )
    return staff, appointment


def get_participant_for_user(request, appointment_id, participant_id):
    staff = get_staff_for_user(request)
    participant = get_object_or_404(
        Participant,
        pk=participant_id,
        appointment_id=appointment_id,
        practice_id=staff.practice_id,
    )
    return staff, participant


def get_case_for_user(request, case_id):
    staff = get_staff_for_user(request)
    memberships = Membership.objects.select_related("client")
    case = get_object_or_404(
        Case.objects.prefetch_related(
            Prefetch("memberships", queryset=memberships), "clinicians"
        ),
        pk=case_id,
        practice_id=staff.practice_id,
    )
    return staff, case


def get_client_for_user(request, client_id):
    staff = get_staff_for_user(request)
    memberships = Membership.objects.select_related("case")
    client = get_object_or_404(
        Client.objects.prefetch_related(Prefetch("memberships", queryset=memberships)),
        pk=client_id,
        practice_id=staff.practice_id,
    )
    return staff, client


def get_clinician_for_user(request, staff_id):
    staff = get_staff_for_user(request)
    clinician = get_object_or_404(
        StaffMember.objects.prefetch_related("working_hours"),
        pk=staff_id,
        practice_id=staff.practice_id,
    )
    return staff, clinician


def get_request_for_user(request, request_id):
    staff = get_staff_for_user(request)
    cancellation = get_object_or_404(
        CancellationRequest, pk=request_id, practice_id=staff.practice_id
    )
    return staff, cancellation
