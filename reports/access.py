"""Who may see the reports: the signed-in staff member of a practice."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from clients.models import Case
from staff.access import get_staff_for_user

from .models import Statement


def staff_for(request):
    """Return the signed-in StaffMember, or None for an anonymous visitor.

    A signed-in user who is not staff (a portal client) is refused (403),
    as on every staff page.
    """
    if not request.user.is_authenticated:
        return None
    return get_staff_for_user(request)


def staff_view(roles=None):
    """Decorate a view: pass the staff member; 403 outside `roles`."""

    def decorate(view):
        def wrapped(request, *args, **kwargs):
            staff = staff_for(request)
            if staff is None:
                return redirect_to_login(request.get_full_path())
            if roles is not None and staff.role not in roles:
                raise PermissionDenied("Your role cannot use this page.")
            return view(request, staff, *args, **kwargs)

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return wrapped

    return decorate


def case_for(staff, case_id):
    """Return the case of the staff member's practice; 404 otherwise."""
    return get_object_or_404(Case, pk=case_id, practice_id=staff.practice_id)


def statement_for(staff, statement_id):
    return get_object_or_404(
        Statement.objects.select_related("case", "issued_by"),
        pk=statement_id,
        practice_id=staff.practice_id,
    )
