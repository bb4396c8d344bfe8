from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from appointments.models import CancellationRequest, RequestState
from practices.models import StaffMember
from staff import wording

register = template.Library()


@register.inclusion_tag("staff/_nav.html", takes_context=True)
def staff_nav(context):
    """Render the staff navigation with the count of pending requests."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"staff": None}

    staff = getattr(request, "staff_member", None)
    if staff is None:
        staff = StaffMember.objects.filter(user=user).first()
    if staff is None:
        return {"staff": None}
    pending = CancellationRequest.objects.filter(
        practice_id=staff.practice_id, state=RequestState.PENDING
    ).count()
    return {
        "staff": staff,
        "pending": pending,
        "section": request.path.strip("/").split("/")[0],
        "reports_url": _reports_url(),
    }


def _reports_url():
    # The reports app is optional; the link appears when it is installed.
    try:
        return reverse("reports:index")
    except NoReverseMatch:
        return None


@register.filter
def usage_class(usage):
    """Name the bar's look: calm while allowance remains, marked when used."""
    if usage.is_over:
        return "over"
    if usage.is_used_up:
        return "full"
    return "ok"


@register.filter
def when(value, this_year):
    """Show a moment as "Fri 1 Jan, 09:00 EST" in the active zone.

    The year is added when it is not `this_year`.
    """
    if not value:
        return ""
    return wording.moment(value, timezone.get_current_timezone(), this_year)


@register.filter
def stamp(value):
    """Show a recorded moment as "Fri 4 Dec 2026, 11:25 EST", year always."""
    if not value:
        return ""
    return wording.stamp(value, timezone.get_current_timezone())


@register.filter
def times(appointment):
    """Show a session's times as "10:00–10:50 EST" in the active zone."""
    zone = timezone.get_current_timezone()
    return wording.time_range(appointment.start, appointment.end, zone)


@register.filter
def session(appointment, this_year):
    """Show a session as "Wed 10 Jun, 10:00–10:50 EDT" in the active zone."""
    zone = timezone.get_current_timezone()
    return wording.session(appointment.start, appointment.end, zone, this_year)


@register.filter
def day(value, this_year):
    """Show a date as "Fri 1 Jan", with the year when not `this_year`."""
    if not value:
        return ""
    return wording.day(value, this_year)


@register.filter
def used_of(usage):
    return wording.used_of(usage)
