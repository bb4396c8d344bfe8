"""The range of days the reports and the import accept.

Dates far outside it (year 1, year 9999) overflow when converted between
time zones, and no practice has sessions there; refusing them early turns
an overflow into a readable error.
"""

from datetime import date

EARLIEST = date(2000, 1, 1)
LATEST = date(2097, 12, 31)


def out_of_range(day):
    """Return a reason when `day` is outside EARLIEST..LATEST, else None."""
    if EARLIEST <= day <= LATEST:
        return None
    return f"dates must be between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d}"
