from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from appointments.models import Appointment
from clients.models import Case, CaseKind, Client
from practices.demo import load_demo
from practices.models import Practice

NOW = datetime(2026, 12, 4, 15, tzinfo=UTC)


def snapshot():
    return list(
        Appointment.objects.order_by("start", "case__title").values_list(
            "case__title", "start", "status"
        )
    )


@pytest.mark.django_db
def test_it_builds_the_demo_practice():
    practice = load_demo(now=NOW, seed=1)

    kinds = sorted(Case.objects.values_list("kind", flat=True))
    overrides = set(Case.objects.values_list("allowance_override", flat=True))
    past = Appointment.objects.filter(start__lt=NOW)
    absences = past.exclude(status__in=["attended", "scheduled"]).count()
    assert practice.time_zone == "America/New_York"
    assert practice.portal_settings.use_allowance
    assert practice.portal_settings.accept_automatically
    assert Client.objects.count() == 40
    assert kinds.count(CaseKind.TWO_PERSON) == 3
    assert kinds.count(CaseKind.FAMILY) == 2
    assert kinds.count(CaseKind.GROUP) == 1
    assert kinds.count(CaseKind.OTHER) == 1
    assert {0, 8} <= overrides
    assert 0.12 < absences / past.count() < 0.3
    assert practice.staff.count() == 6


def build_and_roll_back(seed):
    with transaction.atomic():
        load_demo(now=NOW, seed=seed)
        rows = snapshot()
        transaction.set_rollback(True)
    return rows


@pytest.mark.django_db
def test_it_is_deterministic_for_a_seed():
    first = build_and_roll_back(7)
    again = build_and_roll_back(7)
    other = build_and_roll_back(8)

    assert first == again
    assert first != other
    assert not Practice.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_database_that_holds_practices(practice):
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo")
