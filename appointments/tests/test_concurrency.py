"""Cancellations racing for the last unit of an allowance (PostgreSQL)."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection

from appointments import services
from appointments.models import Appointment, StatusChange
from clients.models import CaseKind
from practicerunner import testing

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(calls, *, delays=None):
    """Run each call in its own thread and connection, started together."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def worker(index, call):
        try:
            barrier.wait()
            if delays:
                time.sleep(delays[index])
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(n, call)) for n, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def test_it_gives_the_last_unit_to_one_partner(practice, couple, clinician, now):
    case = testing.build_case(
        practice, CaseKind.TWO_PERSON, couple, override=2, clinicians=[clinician]
    )
    testing.build_appointment(
        case, now - timedelta(days=7), clinician=clinician, status="planned_absence"
    )
    first = testing.build_appointment(
        case, now + timedelta(days=2), clinician=clinician
    )
    second = testing.build_appointment(
        case, now + timedelta(days=9), clinician=clinician
    )

    outcomes = run_together(
        [
            lambda: services.request_cancellation(
                couple[0].portal_user, first.pk, now=now
            ),
            lambda: services.request_cancellation(
                couple[1].portal_user, second.pk, now=now
            ),
        ]
    )

    assert sorted(o.status for o in outcomes) == [
        "canceled_by_client",
        "planned_absence",
    ]


def test_it_gives_exactly_three_of_twenty_racing_cancellations(
    practice, alice, clinician, now
):
    case = testing.build_case(practice, members=[alice], override=3)
    appointments = [
        testing.build_appointment(
            case, now + timedelta(days=n + 1), clinician=clinician
        )
        for n in range(20)
    ]

    run_together(
        [
            (
                lambda pk=a.pk: services.request_cancellation(
                    alice.portal_user, pk, now=now
                )
            )
            for a in appointments
        ]
    )

    statuses = list(
        Appointment.objects.filter(case=case).values_list("status", flat=True)
    )
    assert statuses.count("planned_absence") == 3
    assert statuses.count("canceled_by_client") == 17


def test_it_records_and_mails_a_double_submit_once(
    individual_case, alice, clinician, now, mailoutbox
):
    appointment = testing.build_appointment(
        individual_case, now + timedelta(days=2), clinician=clinician
    )
    submit = lambda: services.request_cancellation(  # noqa: E731
        alice.portal_user, appointment.pk, now=now
    )

    outcomes = run_together([submit, submit], delays=[0, 0.15])

    assert sorted(o.outcome for o in outcomes) == ["accepted", "unchanged"]
    assert StatusChange.objects.filter(appointment=appointment).count() == 1
    appointment.refresh_from_db()
    assert appointment.status == "planned_absence"
    # One email to the client and one to the case's clinicians, not two each.
    assert sorted(tuple(m.to) for m in mailoutbox) == sorted(
        [(alice.email,), (clinician.user.email,)]
    )


def test_it_gives_a_group_members_last_unit_once(
    group_case, group_members, clinician, now
):
    group_case.allowance_override = 1
    group_case.save()
    first = testing.build_appointment(
        group_case, now + timedelta(days=2), clinician=clinician
    )
    second = testing.build_appointment(
        group_case, now + timedelta(days=9), clinician=clinician
    )
    kim = group_members[0].portal_user

    outcomes = run_together(
        [
            lambda: services.report_absence(kim, first.pk, now=now),
            lambda: services.report_absence(kim, second.pk, now=now),
        ]
    )

    assert sorted(o.status for o in outcomes) == [
        "canceled_by_client",
        "planned_absence",
    ]
