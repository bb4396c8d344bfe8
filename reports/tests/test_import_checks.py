"""Importing: what the command refuses up front, and bad rows one by one."""

import csv
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from appointments.models import Appointment
from clients.models import Client

from .test_import import ROWS, VITORIA_OPTIONS, run

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def vitoria(practice):
    practice.time_zone = "America/Sao_Paulo"
    practice.save()
    return practice


def report_of(path):
    with path.open(encoding="utf-8") as stream:
        return list(csv.reader(stream))


def test_it_fails_only_the_row_whose_local_time_does_not_exist(
    vitoria, write_csv, tmp_path
):
    """São Paulo's clocks jumped from 00:00 to 01:00 on 16 October 2016."""
    rows = [
        ["7001", "501", "", "2016-10-15 23:30", "", "0", "No"],
        ["7001", "502", "", "2016-10-16 00:30", "", "0", "No"],
        ["7001", "503", "", "2016-10-16 01:30", "", "0", "No"],
    ]
    errors = tmp_path / "errors.csv"

    with pytest.raises(CommandError) as failure:
        run(write_csv(rows), *VITORIA_OPTIONS, errors=errors)

    assert failure.value.returncode == 2
    assert report_of(errors)[1:] == [
        [
            "3",
            "AppointmentDay",
            "2016-10-16 00:30",
            "this local time (2016-10-16 00:30) does not exist in "
            "America/Sao_Paulo (clocks go forward)",
        ]
    ]
    assert sorted(Appointment.objects.values_list("external_id", flat=True)) == [
        "501",
        "503",
    ]


def test_it_fails_a_date_alone_whose_default_time_does_not_exist(
    vitoria, write_csv, tmp_path
):
    rows = [
        ["7001", "501", "", "2016-10-15", "", "0", "No"],
        ["7001", "502", "", "2016-10-16", "", "0", "No"],
    ]
    errors = tmp_path / "errors.csv"

    with pytest.raises(CommandError):
        run(write_csv(rows), *VITORIA_OPTIONS, "--default-time=00:30", errors=errors)

    [_, (line, column, value, reason)] = report_of(errors)
    assert (line, column, value) == ("3", "AppointmentDay", "2016-10-16")
    assert "does not exist in America/Sao_Paulo" in reason
    assert Appointment.objects.get().external_id == "501"


def test_it_adds_the_length_in_elapsed_time_across_a_clock_change(vitoria, write_csv):
    """23:30 plus 50 minutes, the night clocks go forward, is 01:20 local."""
    rows = [["7001", "501", "", "2016-10-15 23:30", "", "0", "No"]]

    run(write_csv(rows), *VITORIA_OPTIONS)

    session = Appointment.objects.get()
    assert session.start == datetime(2016, 10, 16, 2, 30, tzinfo=UTC)
    assert session.end == datetime(2016, 10, 16, 3, 20, tzinfo=UTC)


def test_it_refuses_an_unwritable_error_report_before_importing(vitoria, write_csv):
    with pytest.raises(CommandError) as failure:
        run(write_csv(ROWS), *VITORIA_OPTIONS, errors="/nonexistent/e.csv")

    message = str(failure.value)
    assert message.startswith("Cannot write the error report /nonexistent/e.csv")
    assert "\n" not in message
    assert not Appointment.objects.exists()
    assert not Client.objects.exists()


def test_it_says_a_latin_1_file_is_not_utf_8_and_reads_it_when_told(vitoria, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(
        b"PatientId,AppointmentID,AppointmentDay,Neighbourhood,No_show\n"
        b"7001,501,2016-04-29,JARDIM,No\n"
        b"7001,502,2016-05-02,S\xc3O PEDRO,Yes\n"
    )
    options = [*VITORIA_OPTIONS, f"--errors={tmp_path / 'e.csv'}"]

    with pytest.raises(CommandError) as failure:
        call_command("import_appointments", str(path), "--practice=harbour", *options)

    assert str(failure.value) == (
        f"{path} is not UTF-8 (line 3); save it as UTF-8 or pass --encoding latin-1."
    )
    assert not Appointment.objects.exists()

    call_command(
        "import_appointments",
        str(path),
        "--practice=harbour",
        "--encoding=latin-1",
        *options,
    )
    assert Appointment.objects.count() == 2


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--session-fee=abc", "Session fee 'abc' is not a number."),
        ("--session-fee=-50.00", "Session fee '-50.00': a fee cannot be negative."),
        ("--session-fee=NaN", "Session fee 'NaN' is not a number."),
        ("--default-time=25:00", "Default time '25:00' is not HH:MM."),
        ("--default-length=0", "The default length must be 1 to 1440 minutes."),
        ("--encoding=klingon", "Unknown encoding 'klingon'."),
        ("--delimiter=;;", "Delimiter ';;' is not one character."),
    ],
)
def test_it_refuses_a_bad_option_in_one_line(vitoria, write_csv, option, message):
    with pytest.raises(CommandError) as failure:
        run(write_csv(ROWS), *VITORIA_OPTIONS, option)

    assert str(failure.value) == message
    assert not Appointment.objects.exists()


def test_it_refuses_a_batch_size_below_one(vitoria, write_csv):
    with pytest.raises(CommandError, match="--batch-size: must be a whole number"):
        run(write_csv(ROWS), *VITORIA_OPTIONS, "--batch-size=0")


def test_it_refuses_a_bad_fee_in_the_mapping_file(vitoria, write_csv, tmp_path):
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        '{"client_id": "PatientId", "appointment_id": "AppointmentID",'
        ' "start": "AppointmentDay", "status": "No_show",'
        ' "status_map": {"Yes": "no_show"}, "session_fee": "abc"}'
    )

    with pytest.raises(CommandError, match="^Session fee 'abc' is not a number.$"):
        run(write_csv(ROWS), f"--mapping={mapping}")


def shell(*args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DEBUG": "1"},
        timeout=60,
    )


def test_it_exits_non_zero_with_one_line_from_the_shell(tmp_path):
    """The real command line: no traceback, one line on stderr, exit 1."""
    path = tmp_path / "a.csv"
    path.write_text("PatientId\n1\n")

    result = shell(
        "import_appointments",
        str(path),
        "--practice=none",
        *VITORIA_OPTIONS,
        "--session-fee=abc",
    )

    assert result.returncode == 1
    assert result.stderr == "CommandError: Session fee 'abc' is not a number.\n"


def test_it_refuses_a_batch_size_below_one_from_the_shell(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("PatientId\n1\n")

    result = shell("import_appointments", str(path), "--practice=x", "--batch-size=0")

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .endswith("error: argument --batch-size: must be a whole number >= 1, not '0'")
    )


def test_it_says_an_empty_file_is_empty(vitoria, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")

    with pytest.raises(CommandError, match="The file is empty"):
        run(path, *VITORIA_OPTIONS)


def test_it_names_the_columns_and_hints_at_a_semicolon_delimiter(
    vitoria, write_csv, tmp_path
):
    path = tmp_path / "semi.csv"
    path.write_text(
        "PatientId;AppointmentID;AppointmentDay;No_show\n7001;501;2016-04-29;No\n"
    )

    with pytest.raises(CommandError) as failure:
        run(path, *VITORIA_OPTIONS)

    message = str(failure.value)
    assert "Column 'PatientId' (client_id) is not in the file" in message
    assert "'PatientId;AppointmentID;AppointmentDay;No_show'" in message
    assert "pass --delimiter ';'" in message

    run(path, *VITORIA_OPTIONS, "--delimiter=;")
    assert Appointment.objects.get().external_id == "501"


def test_it_reports_a_short_row(vitoria, write_csv, tmp_path):
    errors = tmp_path / "errors.csv"
    path = write_csv([ROWS[0], ROWS[1][:6], [*ROWS[2], ""]])

    with pytest.raises(CommandError):
        run(path, *VITORIA_OPTIONS, errors=errors)

    assert report_of(errors)[1:] == [["3", "", "", "row has 6 fields, expected 7"]]
    # A trailing empty field (a trailing comma) is tolerated.
    assert Appointment.objects.count() == 2


def test_it_matches_status_values_ignoring_case(vitoria, write_csv):
    rows = [row.copy() for row in ROWS[:2]]
    rows[0][-1], rows[1][-1] = "no", "YES"

    run(write_csv(rows), *VITORIA_OPTIONS)

    assert Appointment.objects.get(external_id="502").status == "no_show"


def test_it_lets_a_status_map_option_override_one_entry_of_the_file(
    vitoria, write_csv, tmp_path
):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        'client_id = "PatientId"\nappointment_id = "AppointmentID"\n'
        'start = "AppointmentDay"\nstatus = "No_show"\n'
        '[status_map]\nYes = "no_show"\nNo = "attended"\n'
    )

    run(
        write_csv(ROWS[:2]),
        f"--mapping={mapping}",
        "--status-map=yes=canceled_by_client",
        "--no-progress",
    )

    statuses = dict(Appointment.objects.values_list("external_id", "status"))
    # "No" still comes from the file; "yes" replaced the file's "Yes".
    assert statuses == {"501": "attended", "502": "canceled_by_client"}


def test_it_writes_the_error_report_in_line_order(vitoria, write_csv, tmp_path):
    errors = tmp_path / "errors.csv"
    path = write_csv(
        [
            ROWS[0],
            ["7001", "501", "", "2016-05-03", "", "0", "No"],  # repeats line 2
            ["7001", "520", "", "1999-12-31", "", "0", "No"],
            ["7001", "521", "", "2098-01-01", "", "0", "No"],
        ]
    )

    with pytest.raises(CommandError):
        run(path, *VITORIA_OPTIONS, errors=errors)

    assert report_of(errors)[1:] == [
        ["3", "AppointmentID", "501", "appointment id repeats line 2"],
        [
            "4",
            "AppointmentDay",
            "1999-12-31",
            "dates must be between 2000-01-01 and 2097-12-31",
        ],
        [
            "5",
            "AppointmentDay",
            "2098-01-01",
            "dates must be between 2000-01-01 and 2097-12-31",
        ],
    ]


def test_it_removes_a_stale_error_report_on_a_clean_run(
    vitoria, write_csv, tmp_path, capsys
):
    errors = tmp_path / "errors.csv"
    errors.write_text("line,column,value,reason\n9,x,y,old\n")

    run(write_csv(ROWS), *VITORIA_OPTIONS, errors=errors)

    assert not errors.exists()
    assert f"No errors: removed the old error report {errors}." in (
        capsys.readouterr().out
    )


def test_it_neutralises_formulas_in_the_error_report(vitoria, write_csv, tmp_path):
    errors = tmp_path / "errors.csv"
    path = write_csv([["7001", "530", "", "=HYPERLINK(1)", "", "0", "No"]])

    with pytest.raises(CommandError):
        run(path, *VITORIA_OPTIONS, errors=errors)

    assert report_of(errors)[1][2] == "'=HYPERLINK(1)"
