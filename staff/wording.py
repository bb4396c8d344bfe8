"""The staff pages' short phrases, kept in one place so every page agrees.

Figures: "4 of 6" while the allowance lasts or is exactly used up, "7 used
of 6" when it is passed, as in the policy's `Usage.summary()`. Sessions ahead
carry their year when it is not the current one; a recorded moment (history,
requests, moves) always carries it. Times name their zone.
"""

from appointments import policy
from practicerunner.lib.money import format_money


def plural(count, singular, plural_form=None):
    """Return "1 appointment" or "2 appointments"."""
    if count == 1:
        return f"{count} {singular}"
    return f"{count} {plural_form or singular + 's'}"


def used_of(usage):
    """Return "6 of 6", or "7 used of 6" past the allowance."""
    if usage.is_over:
        return f"{usage.used} used of {usage.allowance}"
    return f"{usage.used} of {usage.allowance}"


def used_in(usage):
    """Return "2 of 2 used in 2026", or "5 used of 2 in 2026" past it."""
    if usage.is_over:
        return f"{used_of(usage)} in {usage.year}"
    return f"{used_of(usage)} used in {usage.year}"


def day(value, this_year):
    """Return "Fri 1 Jan", with the year when it is not `this_year`."""
    text = f"{value:%a} {value.day} {value:%b}"
    if value.year != this_year:
        text += f" {value.year}"
    return text


def moment(value, zone, this_year):
    """Return "Fri 1 Jan 2027, 09:00 EST": local day, time and zone."""
    local = value.astimezone(zone)
    return f"{day(local, this_year)}, {local:%H:%M %Z}"


def stamp(value, zone):
    """Return "Fri 4 Dec 2026, 11:25 EST": a recorded moment, year always."""
    return moment(value, zone, this_year=None)


def time_range(start, end, zone):
    """Return a session's local times, e.g. "10:00–10:50 EST".

    Across a daylight-saving change each end names its own abbreviation
    ("01:30 EDT–01:20 EST"), since the clock reading alone would put the
    end before the start. An end on a later local day names its day.
    """
    first, last = start.astimezone(zone), end.astimezone(zone)
    end_day = f"{last:%a} " if last.date() != first.date() else ""
    if first.tzname() != last.tzname():
        return f"{first:%H:%M %Z}–{end_day}{last:%H:%M %Z}"
    return f"{first:%H:%M}–{end_day}{last:%H:%M %Z}"


def session(start, end, zone, this_year):
    """Return "Wed 10 Jun, 10:00–10:50 EDT": a session's day and times."""
    return f"{day(start.astimezone(zone), this_year)}, {time_range(start, end, zone)}"


def allowance_mark(usage):
    """Return the schedule's mark for a case whose allowance is used up.

    With no allowance at all there is nothing to use up; the mark still
    says so, because any client cancellation will then be billable.
    """
    if usage.allowance == 0:
        return "No planned absences (allowance 0)"
    return f"Allowance {usage.year} used ({used_of(usage)})"


def preview_refusal(preview, participant=None):
    """Say why the portal would refuse a cancellation or absence notice.

    For a group member whose own status is already recorded, the refusal is
    about that member, not the session, which may well go ahead.
    """
    if participant is not None and preview.refusal.code == policy.NOT_OPEN.code:
        label = participant.get_status_display()
        return f"Already recorded for {participant.client}: {label}."
    return f"The portal would refuse: {preview.refusal.message}"


def money(amount, currency):
    """Return "no fee" for nothing owed, else "fee kept 120.00 USD"."""
    if not amount:
        return "no fee"
    return f"fee kept {format_money(amount, currency)}"


def cancellation_preview(preview, currency):
    """Say in one line what a portal cancellation would do now.

    The terms are the portal's: a planned absence says what will remain
    after it, a cancellation past the allowance says what is already used.
    """
    parts = [preview.status_label]
    usage = preview.usage
    if usage is not None and preview.status == policy.PLANNED_ABSENCE:
        after = usage.after_one_more()
        parts.append(
            f"would use 1 of {usage.allowance} planned absences in {usage.year}; "
            f"{after.remaining} will remain"
        )
    elif usage is not None and usage.allowance == 0:
        parts.append(f"no planned absences allowed in {usage.year}")
    elif usage is not None and usage.is_over:
        parts.append(f"{used_of(usage)} in {usage.year}")
    elif usage is not None:
        parts.append(f"{used_of(usage)} already used in {usage.year}")
    parts.append(money(preview.fee_kept, currency))
    return " · ".join(parts)


def this_year(now, zone):
    return now.astimezone(zone).year
