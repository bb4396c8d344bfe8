import csv

import pytest
import time_machine

VITORIA_HEADER = [
    "PatientId",
    "AppointmentID",
    "ScheduledDay",
    "AppointmentDay",
    "Neighbourhood",
    "SMS_received",
    "No_show",
]


@pytest.fixture(autouse=True)
def frozen(now):
    with time_machine.travel(now, tick=False):
        yield


@pytest.fixture
def write_csv(tmp_path):
    """Write rows (lists) under a header to a CSV file; return its path."""

    def write(rows, header=VITORIA_HEADER, name="appointments.csv"):
        path = tmp_path / name
        with path.open("w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(header)
            writer.writerows(rows)
        return path

    return write
