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


class NonexistentTime(ValueError):
    """A local time skipped by a daylight saving change."""

    def __init__(self, moment):
        super().__init__(moment)
        self.moment = moment


def aware_local(naive, zone):
    """Return `naive` local time in `zone` as an aware UTC datetime.

    Raises NonexistentTime for a wall-clock time that the zone skips (for
    example 02:30 on the night clocks go forward). An ambiguous time, which
    happens twice when clocks go back, is taken at its first occurrence.
    """
    moment = naive.replace(tzinfo=zone).astimezone(UTC)
    if moment.astimezone(zone).replace(tzinfo=None) != naive:
        raise NonexistentTime(naive)
    return moment


def weekly(naive_start, zone, weeks):
    """Return the UTC starts of a weekly series at one local wall-clock time."""
    return [aware_local(naive_start + timedelta(weeks=n), zone) for n in range(weeks)]
