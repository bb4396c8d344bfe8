"""Filters that give the report pages one format for days, times and money."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import template

from practicerunner.lib.money import format_money

register = template.Library()


@register.filter
def money(amount, currency):
    """ "1,234.00 USD"."""
    return format_money(amount, currency)


@register.filter
def amount(value):
    """An amount without its currency (named in the column): "1,234.00"."""
    return format_money(value, "").strip()


@register.filter
def day(value):
    """A date (or the local date of a datetime) as "Mon 1 Jun 2026"."""
    if value is None or value == "":
        return ""
    return f"{value:%a} {value.day} {value:%b %Y}"


@register.filter
def local_day(value, zone):
    """The day of an aware datetime in `zone`: "Mon 1 Jun 2026"."""
    return day(value.astimezone(ZoneInfo(str(zone))))


@register.filter
def local_time(value, zone):
    """The time of an aware datetime in `zone`, zone named: "11:00 EDT"."""
    local = value.astimezone(ZoneInfo(str(zone)))
    return f"{local:%H:%M} {local.tzname()}"


@register.filter
def moment(value, zone):
    """An aware datetime in `zone` as "Mon 1 Jun 2026, 11:00 EDT"."""
    if not isinstance(value, datetime):
        return ""
    return f"{local_day(value, zone)}, {local_time(value, zone)}"


@register.filter
def count(value):
    """A whole number with thousands separators: "8,139"."""
    return f"{value:,}"
