"""What clients read about their sessions, shared by the portal and emails.

One wording for a session's time, its status and a year's planned absences,
so an email and the page it links to always agree.
"""

from . import policy
from .models import AppointmentStatus, ParticipantStatus

CLIENT_LABELS = {
    (True, policy.ABSENT): "Absent (without notice)",
}


def status_label(status, *, group=False, pending=None):
    if pending is not None:
        return "Absence notice sent" if group else "Cancellation requested"
    if not status:
        return ""
    if (group, status) in CLIENT_LABELS:
        return CLIENT_LABELS[group, status]
    choices = ParticipantStatus if group else AppointmentStatus
    return choices(status).label


def when_parts(moment, practice):
    """Return a moment's local date and time, with its abbreviation, and zone.

    For example ("Friday 8 January 2027, 9:00 AM EST", "America/New_York").
    """
    local = moment.astimezone(practice.zone)
    hour = local.hour % 12 or 12
    noon = "AM" if local.hour < 12 else "PM"
    text = (
        f"{local:%A} {local.day} {local:%B} {local.year}, "
        f"{hour}:{local:%M} {noon} {local.tzname()}"
    )
    return text, practice.time_zone


def when_text(moment, practice):
    """Return the one form of a session time the portal and emails use."""
    text, zone = when_parts(moment, practice)
    return f"{text} ({zone})"


def usage_sentence(usage, *, shared=False):
    """Describe a year's planned absences to a client, in plain words.

    A count past the allowance (staff may record more) is never shown as
    "7 of 2": the client reads that all are used, and how many are recorded.
    """
    if usage.allowance == 0:
        text = f"There are no planned absences for {usage.year}"
        return text + (" for anyone in this case." if shared else ".")
    if usage.is_used_up:
        recorded = f" ({usage.used} recorded)" if usage.is_over else ""
        text = (
            f"All {usage.allowance} planned absences for {usage.year} are "
            f"used{recorded}"
        )
    else:
        text = (
            f"Planned absences in {usage.year}: {usage.used} of {usage.allowance} "
            f"used, {usage.remaining} remaining"
        )
    # One sentence, not a second bracket after "(5 recorded)".
    return text + ("; they are shared by everyone in this case." if shared else ".")
