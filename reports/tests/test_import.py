"""Importing appointments: mapping, bad rows, dry run and re-runs."""

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from appointments.models import Appointment, Channel, StatusChange
from clients.models import Case, Client, Membership
from practicerunner import testing
from practices.models import StaffMember

SHIPPED_MAPPING = Path(__file__).resolve().parents[1] / "mappings" / "vitoria.toml"

VITORIA_OPTIONS = [
    "--client-id-column=PatientId",
    "--appointment-id-column=AppointmentID",
    "--start-column=AppointmentDay",
    "--status-column=No_show",
    "--status-map=Yes=no_show",
    "--status-map=No=attended",
    "--no-progress",
]

# The Vitória file's quirks, small: date-only days, naive booking times,
# accented neighbourhoods, one patient (Rui, 7001) with many appointments.
ROWS = [
    ["7001", "501", "2016-04-29 18:38:08", "2016-04-29", "JARDIM DA PENHA", "0", "No"],
    ["7001", "502", "2016-04-29 18:40:00", "2016-05-02", "SÃO PEDRO", "1", "Yes"],
    ["7001", "503", "2016-05-01 08:00:00", "2016-05-09", "SÃO PEDRO", "1", "No"],
    ["7001", "504", "2016-05-01 08:05:00", "2016-05-16", "JABOUR", "0", "No"],
    ["8002", "601", "2016-04-27 07:00:00", "2016-04-29", "MARUÍPE", "0", "Yes"],
    ["9003", "701", "2016-04-29 09:00:00", "2016-04-29", "CONSOLAÇÃO", "0", "No"],
]


@pytest.fixture
def vitoria(practice):
    """The Harbour practice's clock moved to Vitória for these imports."""
    practice.time_zone = "America/Sao_Paulo"
    practice.save()
    return practice


def run(path, *options, practice="harbour", errors=None):
    errors = errors or path.with_suffix(".errors.csv")
    call_command(
        "import_appointments",
        str(path),
        f"--practice={practice}",
        f"--errors={errors}",
        *options,
    )


def test_it_imports_the_vitoria_shape(vitoria, write_csv, capsys):
    path = write_csv(ROWS)

    run(path, *VITORIA_OPTIONS)

    out = capsys.readouterr().out
    assert "Appointments: 6 (created 6, status changed 0, unchanged 0)" in out
    assert "Clients: 3 (created 3, matched 0)" in out
    rui = Client.objects.get(practice=vitoria, external_id="7001")
    assert rui.name == "Patient 7001"
    assert Case.objects.filter(members=rui).count() == 1
    assert Appointment.objects.filter(case__members=rui).count() == 4
    assert Appointment.objects.get(external_id="502").status == "no_show"


def test_it_reads_a_date_alone_at_the_default_time_in_the_practice_zone(
    vitoria, write_csv
):
    path = write_csv(ROWS[:1])

    run(path, *VITORIA_OPTIONS, "--default-time=14:30", "--default-length=45")

    appointment = Appointment.objects.get(external_id="501")
    # 14:30 in São Paulo (UTC-3) is 17:30 UTC.
    assert appointment.start == datetime(2016, 4, 29, 17, 30, tzinfo=UTC)
    assert appointment.end == datetime(2016, 4, 29, 18, 15, tzinfo=UTC)


def test_it_reads_naive_timestamps_in_the_practice_zone(vitoria, write_csv):
    path = write_csv(ROWS[:1])
    options = [o for o in VITORIA_OPTIONS if not o.startswith("--start")]

    run(path, *options, "--start-column=ScheduledDay")

    appointment = Appointment.objects.get(external_id="501")
    assert appointment.start == datetime(2016, 4, 29, 21, 38, 8, tzinfo=UTC)


def test_it_maps_names_cases_and_clinicians_from_a_json_file(
    practice, clinician, write_csv, tmp_path
):
    header = ["Client", "Name", "Case", "Therapist", "Id", "When", "Outcome"]
    path = write_csv(
        [
            [
                "c1",
                "Zoë Ångström",
                "Zoë",
                "Carl Clinician",
                "a1",
                "2026-03-02 10:00",
                "Attended",
            ],
            [
                "c1",
                "Zoë Ångström",
                "Zoë",
                "Carl Clinician",
                "a2",
                "2026-03-09 10:00",
                "Cancelled",
            ],
            [
                "c2",
                "José Núñez",
                "",
                "Dana Duarte",
                "a3",
                "2026-03-10 11:00",
                "No show",
            ],
        ],
        header=header,
    )
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps(
            {
                "client_id": "Client",
                "client_name": "Name",
                "case": "Case",
                "clinician": "Therapist",
                "appointment_id": "Id",
                "start": "When",
                "status": "Outcome",
                "status_map": {
                    "Attended": "attended",
                    "Cancelled": "Canceled by client",
                    "No show": "no_show",
                },
                "session_fee": "95.00",
            }
        )
    )

    run(path, f"--mapping={mapping}", "--no-progress")

    zoe = Client.objects.get(external_id="c1")
    assert zoe.name == "Zoë Ångström"
    assert Case.objects.get(members=zoe).title == "Zoë"
    assert Appointment.objects.get(external_id="a1").clinician == clinician
    assert Appointment.objects.get(external_id="a2").status == "canceled_by_client"
    dana = StaffMember.objects.get(practice=practice, display_name="Dana Duarte")
    assert Appointment.objects.get(external_id="a3").clinician == dana
    assert Appointment.objects.get(external_id="a3").fee == 95


def test_it_reads_a_toml_mapping_and_lets_options_override_it(
    vitoria, write_csv, tmp_path
):
    path = write_csv(ROWS[:2])
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        'client_id = "PatientId"\n'
        'appointment_id = "AppointmentID"\n'
        'start = "AppointmentDay"\n'
        'status = "No_show"\n'
        'default_clinician = "Dr Imported"\n'
        "[status_map]\n"
        'Yes = "no_show"\n'
        'No = "attended"\n'
    )

    run(path, f"--mapping={mapping}", "--default-clinician=Dr Overridden")

    names = set(Appointment.objects.values_list("clinician__display_name", flat=True))
    assert names == {"Dr Overridden"}


def test_it_lists_bad_rows_and_fails_with_a_non_zero_exit_code(
    vitoria, write_csv, tmp_path
):
    path = write_csv(
        [
            ROWS[0],
            ["7001", "510", "", "2016-13-45", "JABOUR", "0", "No"],
            ["7001", "511", "", "2016-05-03", "JABOUR", "0", "Maybe"],
            ["", "512", "", "2016-05-03", "JABOUR", "0", "No"],
            ["7001", "501", "", "2016-05-03", "JABOUR", "0", "No"],
        ]
    )
    errors = tmp_path / "errors.csv"

    with pytest.raises(CommandError) as failure:
        run(path, *VITORIA_OPTIONS, errors=errors)

    assert failure.value.returncode == 2
    with errors.open(encoding="utf-8") as stream:
        report = list(csv.reader(stream))
    assert report == [
        ["line", "column", "value", "reason"],
        ["3", "AppointmentDay", "2016-13-45", "not a date or date and time"],
        [
            "4",
            "No_show",
            "Maybe",
            "unknown status value; the status map knows No, Yes",
        ],
        ["5", "PatientId", "", "missing client id"],
        ["6", "AppointmentID", "501", "appointment id repeats line 2"],
    ]
    assert list(Appointment.objects.values_list("external_id", flat=True)) == ["501"]


def test_it_writes_nothing_of_a_batch_that_fails(
    vitoria, group_case, clinician, write_csv, tmp_path
):
    # The Thursday group's session cannot be Canceled by client as a whole,
    # so the services refuse the first batch (rows 501 and 502).
    session = testing.build_appointment(
        group_case, datetime(2016, 4, 28, 12, tzinfo=UTC), clinician=clinician
    )
    session.external_id = "501"
    session.save()
    path = write_csv(ROWS)
    errors = tmp_path / "errors.csv"
    options = [o for o in VITORIA_OPTIONS if o != "--status-map=No=attended"]

    with pytest.raises(CommandError):
        run(
            path,
            *options,
            "--status-map=No=canceled_by_client",
            "--batch-size=2",
            errors=errors,
        )

    session.refresh_from_db()
    assert session.status == "scheduled"
    assert not Appointment.objects.filter(external_id="502").exists()
    assert Appointment.objects.filter(external_id__in=["503", "601"]).count() == 2
    lines = [row[0] for row in csv.reader(errors.open(encoding="utf-8"))]
    assert lines == ["line", "2", "3"]


def test_it_writes_nothing_on_a_dry_run(vitoria, write_csv, capsys):
    path = write_csv(ROWS)

    run(path, *VITORIA_OPTIONS, "--dry-run")

    out = capsys.readouterr().out
    assert "would be created 6" in out
    assert "Dry run: nothing was written." in out
    assert not Appointment.objects.exists()
    assert not Client.objects.exists()
    assert not Case.objects.exists()
    assert not Membership.objects.exists()
    assert not StaffMember.objects.filter(display_name="Imported clinician").exists()


def test_it_changes_nothing_on_a_second_run(vitoria, write_csv, capsys):
    path = write_csv(ROWS)
    run(path, *VITORIA_OPTIONS)
    capsys.readouterr()

    run(path, *VITORIA_OPTIONS, "--batch-size=2")

    out = capsys.readouterr().out
    assert "Appointments: 6 (created 0, status changed 0, unchanged 6)" in out
    assert "Clients: 3 (created 0, matched 3)" in out
    assert Appointment.objects.count() == 6
    assert Case.objects.count() == 3
    assert not StatusChange.objects.exists()


def test_it_applies_a_changed_status_through_the_services(vitoria, write_csv, now):
    run(write_csv(ROWS), *VITORIA_OPTIONS)
    changed = [row.copy() for row in ROWS]
    changed[0][-1] = "Yes"

    run(write_csv(changed), *VITORIA_OPTIONS)

    appointment = Appointment.objects.get(external_id="501")
    assert appointment.status == "no_show"
    change = StatusChange.objects.get()
    assert (change.appointment, change.channel) == (appointment, Channel.IMPORT)
    assert (change.from_status, change.to_status) == ("attended", "no_show")
    assert change.changed_at == now


def test_it_refuses_a_mapping_without_a_status_map(vitoria, write_csv):
    path = write_csv(ROWS)
    options = [o for o in VITORIA_OPTIONS if not o.startswith("--status-map")]

    with pytest.raises(CommandError, match="status map"):
        run(path, *options)


def test_it_reads_the_shipped_vitoria_mapping(vitoria, write_csv, capsys):
    path = write_csv(ROWS)

    run(path, f"--mapping={SHIPPED_MAPPING}", "--no-progress")

    assert "Appointments: 6 (created 6" in capsys.readouterr().out
