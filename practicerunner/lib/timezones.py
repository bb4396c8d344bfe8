"""Calendar helpers that decide years and days in a practice's time zone."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


def is_valid_zone(name):
    if not name or name not in available_timezones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def local_year(moment, zone):
    """Return the calendar year of an aware moment as seen in `zone`."""
    return moment.astimezone(zone).year


def year_bounds(year, zone):
    """Return the UTC instants where `year` starts and ends in `zone`.

    The end is exclusive: the first instant of the next local year.
    """
    start = datetime(year, 1, 1, tzinfo=zone).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=zone).astimezone(UTC)
    return start, end


def day_bounds(day, zone):
    """Return the UTC instants where local `day` starts and ends in `zone`."""
    start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start, end.astimezone(UTC)


def week_start(day):
    """Return the Monday of the week that holds `day`."""
    return day - timedelta(days=day.weekday())
