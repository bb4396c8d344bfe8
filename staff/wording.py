"""The staff pages' short phrases, kept in one place so every page agrees.

Figures: "4 of 6" while the allowance lasts or is exactly used up, "7 used
of 6" when it is passed, as in the policy's `Usage.summary()`. Dates carry
their year when it is not the current one, and times name their zone.
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
