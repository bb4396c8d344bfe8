"""Two clients racing for one free slot of the same clinician (PostgreSQL)."""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection

from appointments import rescheduling, services
from appointments.models import ChangeKind, StatusChange

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

JUNE_10 = datetime(2026, 6, 10, 15, tzinfo=UTC)
JUNE_12_TEN = datetime(2026, 6, 12, 14, tzinfo=UTC)


def test_it_gives_one_slot_to_one_client(
    practice, alice, individual_case, couple, couple_case, book, working_week, now
):
    practice.portal_settings.allow_rescheduling = True
    practice.portal_settings.save()
    alices = book(individual_case, JUNE_10)
    beas = book(couple_case, JUNE_10.replace(hour=16))
    barrier = threading.Barrier(2)
    outcomes = []

    def move(person, appointment):
        try:
            barrier.wait()
            rescheduling.reschedule(
                person.portal_user,
                appointment.pk,
                JUNE_12_TEN,
                now=now,
                expected_start=appointment.start,
            )
            outcomes.append("moved")
        except services.ServiceError as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=move, args=(alice, alices)),
        threading.Thread(target=move, args=(couple[0], beas)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["SlotTaken", "moved"]
    assert StatusChange.objects.filter(kind=ChangeKind.RESCHEDULE).count() == 1
