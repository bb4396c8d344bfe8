"""`manage.py simulate_allowance`: the web form's rules, one line if wrong."""

import pytest
from django.core.management import CommandError, call_command

from .test_import_checks import shell


def simulate(*options):
    call_command("simulate_allowance", "--practice=harbour", *options)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--allowances=-1"],
            "--allowances: Between 1 and 12 allowances of 0 to 52.",
        ),
        (
            ["--allowances=100"],
            "--allowances: Between 1 and 12 allowances of 0 to 52.",
        ),
        (["--allowances=a,b"], "--allowances: Use whole numbers, e.g. 0,3,6."),
        (["--fee=abc"], "--fee: Enter a number."),
        (["--fee=-1"], "--fee: Ensure this value is greater than or equal to 0."),
        (
            ["--start=2026-12-31", "--end=2026-01-01"],
            "The period ends before it starts.",
        ),
        (
            ["--start=0001-01-01", "--end=9999-12-31"],
            "--start: Choose a day between 1 Jan 2000 and 31 Dec 2097. "
            "--end: Choose a day between 1 Jan 2000 and 31 Dec 2097.",
        ),
        (["--start=yesterday"], "--start: Enter a valid date."),
    ],
)
def test_it_refuses_what_the_web_form_refuses(practice, options, message):
    base = {"--start": "2026-01-01", "--end": "2026-12-31"}
    given = dict(option.split("=", 1) for option in options)
    arguments = [f"{k}={v}" for k, v in (base | given).items()]

    with pytest.raises(CommandError) as failure:
        simulate(*arguments)

    assert str(failure.value) == message


def test_it_prints_the_table_for_valid_options(practice, capsys):
    simulate("--start=2026-01-01", "--end=2026-12-31", "--allowances=0,2")

    lines = capsys.readouterr().out.splitlines()
    assert lines[2] == "| 0 | 0 | 0 | 0 | 0.00 | 0.00 | 0.00 |"


def test_it_exits_non_zero_with_one_line_from_the_shell():
    result = shell(
        "simulate_allowance",
        "--practice=harbour",
        "--start=2026-01-01",
        "--end=2026-12-31",
        "--allowances=100",
    )

    assert result.returncode == 1
    assert result.stderr == (
        "CommandError: --allowances: Between 1 and 12 allowances of 0 to 52.\n"
    )
