"""The pure allowance rules, as tables with their exact boundaries."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from appointments import policy
from appointments.models import AppointmentStatus, ParticipantStatus

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("override", "default", "expected"),
    [
        (None, 6, 6),
        (0, 6, 0),
        (8, 6, 8),
        (52, 0, 52),
        (None, 0, 0),
    ],
)
def test_it_takes_the_override_when_set(override, default, expected):
    assert policy.allowance_of(override, default) == expected


@pytest.mark.parametrize(
    ("use_allowance", "used", "allowance", "expected"),
    [
        (True, 0, 6, policy.PLANNED_ABSENCE),
        (True, 5, 6, policy.PLANNED_ABSENCE),
        (True, 6, 6, policy.CANCELED_BY_CLIENT),
        (True, 7, 6, policy.CANCELED_BY_CLIENT),
        (True, 0, 0, policy.CANCELED_BY_CLIENT),
        (False, 0, 6, policy.CANCELED_BY_CLIENT),
    ],
)
def test_it_decides_a_client_cancellation(use_allowance, used, allowance, expected):
    usage = policy.Usage(2026, used, allowance)

    status = policy.client_cancellation_status(use_allowance=use_allowance, usage=usage)

    assert status == expected


@pytest.mark.parametrize(
    ("use_allowance", "to_status", "used", "allowance", "warns"),
    [
        (True, policy.PLANNED_ABSENCE, 5, 6, False),
        (True, policy.PLANNED_ABSENCE, 6, 6, True),
        (True, policy.PLANNED_ABSENCE, 9, 6, True),
        (True, policy.PLANNED_ABSENCE, 0, 0, True),
        (True, policy.CANCELED_BY_CLIENT, 6, 6, False),
        (True, policy.ATTENDED, 6, 6, False),
        (False, policy.PLANNED_ABSENCE, 6, 6, False),
    ],
)
def test_it_warns_staff_only_past_the_allowance(
    use_allowance, to_status, used, allowance, warns
):
    warning = policy.staff_warning(
        use_allowance=use_allowance,
        to_status=to_status,
        usage=policy.Usage(2027, used, allowance),
        case_title="Alice",
    )

    assert (warning is not None) is warns


def test_it_names_case_year_and_figures_in_the_warning():
    warning = policy.staff_warning(
        use_allowance=True,
        to_status=policy.PLANNED_ABSENCE,
        usage=policy.Usage(2027, 6, 6),
        case_title="Alice",
    )

    assert warning.message == "Alice: 6 of 6 planned absences in 2027 already used."


def test_it_words_a_zero_allowance_plainly():
    warning = policy.AllowanceWarning("Pedro Lopez", policy.Usage(2026, 0, 0))

    assert warning.message == (
        "Pedro Lopez: no planned absences are allowed in 2026 (0)."
    )


def test_it_names_the_member_in_a_group_warning():
    warning = policy.AllowanceWarning("Thursday group", policy.Usage(2026, 2, 2), "Kim")

    assert warning.message.startswith("Kim in Thursday group: 2 of 2")


@pytest.mark.parametrize(
    ("used", "allowance", "remaining", "summary"),
    [
        (0, 6, 6, "0 of 6 used in 2026; 6 remaining"),
        (4, 6, 2, "4 of 6 used in 2026; 2 remaining"),
        (6, 6, 0, "6 of 6 used in 2026; 0 remaining"),
        (7, 6, 0, "7 used of 6 in 2026; 0 remaining"),
        (3, 2, 0, "3 used of 2 in 2026; 0 remaining"),
        (0, 0, 0, "0 of 0 used in 2026; 0 remaining"),
    ],
)
def test_it_shows_remaining_never_below_zero(used, allowance, remaining, summary):
    usage = policy.Usage(2026, used, allowance)

    assert usage.remaining == remaining
    assert usage.summary() == summary


def _refusal(**overrides):
    arguments = {
        "now": NOW,
        "start": NOW + 48 * HOUR,
        "end": NOW + 49 * HOUR,
        "status": policy.SCHEDULED,
        "portal_open": True,
        "minimum_notice": 24 * HOUR,
        "participant_level": False,
        "whole_session": True,
    } | overrides
    return policy.portal_refusal(**arguments)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, None),
        ({"portal_open": False}, policy.PORTAL_OFF),
        ({"participant_level": True}, policy.WHOLE_SESSION),
        ({"participant_level": True, "whole_session": False}, None),
        ({"start": NOW - 20 * timedelta(minutes=1), "end": NOW + HOUR}, policy.STARTED),
        ({"start": NOW, "end": NOW + HOUR}, policy.STARTED),
        ({"start": NOW - 25 * HOUR, "end": NOW - 24 * HOUR}, policy.ENDED),
        ({"status": policy.PLANNED_ABSENCE}, policy.NOT_OPEN),
        ({"status": policy.CANCELED_BY_CLIENT}, policy.NOT_OPEN),
        (
            {
                "status": policy.EXPECTED,
                "participant_level": True,
                "whole_session": False,
            },
            None,
        ),
        ({"start": NOW + 24 * HOUR, "end": NOW + 25 * HOUR}, None),
        ({"start": NOW + 24 * HOUR - timedelta(seconds=1)}, policy.INSIDE_NOTICE),
        ({"minimum_notice": timedelta(0), "start": NOW + timedelta(seconds=1)}, None),
    ],
)
def test_it_guards_portal_changes(overrides, expected):
    assert _refusal(**overrides) is expected


@pytest.mark.parametrize(
    ("status", "cbc_keeps", "no_show_keeps", "expected"),
    [
        (policy.PLANNED_ABSENCE, True, True, Decimal("0")),
        (policy.CANCELED_BY_CLIENT, True, True, Decimal("120")),
        (policy.CANCELED_BY_CLIENT, False, True, Decimal("0")),
        (policy.NO_SHOW, True, True, Decimal("120")),
        (policy.NO_SHOW, True, False, Decimal("0")),
        (policy.CANCELED_BY_PRACTICE, True, True, Decimal("0")),
        (policy.ATTENDED, False, False, Decimal("120")),
        (policy.SCHEDULED, True, True, Decimal("0")),
    ],
)
def test_it_applies_billing_settings(status, cbc_keeps, no_show_keeps, expected):
    fee = policy.fee_due(
        status=status,
        fee=Decimal("120"),
        canceled_by_client_keeps_fee=cbc_keeps,
        no_show_keeps_fee=no_show_keeps,
    )

    assert fee == expected


def test_its_statuses_match_the_models_choices():
    assert set(AppointmentStatus.values) <= {
        policy.SCHEDULED,
        policy.ATTENDED,
        policy.PLANNED_ABSENCE,
        policy.CANCELED_BY_CLIENT,
        policy.CANCELED_BY_PRACTICE,
        policy.NO_SHOW,
    }
    assert set(ParticipantStatus.values) <= {
        policy.EXPECTED,
        policy.ATTENDED,
        policy.PLANNED_ABSENCE,
        policy.ABSENT,
        policy.CANCELED_BY_CLIENT,
    }
