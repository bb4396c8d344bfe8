"""Staff status changes: warnings, acknowledgement, batches and requests."""

from datetime import timedelta

import pytest

from appointments import services
from appointments.models import CancellationRequest, StatusChange
from practicerunner import testing

PA = "planned_absence"


@pytest.fixture
def used_up_case(individual_case, clinician, now):
    """Alice's case with its 2 planned absences of 2026 used."""
    individual_case.allowance_override = 2
    individual_case.save()
    for weeks in (1, 2):
        testing.build_appointment(
            individual_case,
            now - timedelta(weeks=weeks),
            clinician=clinician,
            status=PA,
        )
    return individual_case


def test_it_warns_and_writes_nothing_until_acknowledged(used_up_case, clinician, now):
    appointment = testing.build_appointment(
        used_up_case, now + timedelta(days=1), clinician=clinician
    )

    result = services.set_appointment_status(
        clinician.user, appointment.pk, PA, now=now
    )

    appointment.refresh_from_db()
    assert result.needs_acknowledgement
    assert (
        result.warning.message == "Alice: 2 of 2 planned absences in 2026 already used."
    )
    assert appointment.status == "scheduled"
    assert not StatusChange.objects.exists()


def test_it_records_an_acknowledged_warning(used_up_case, clinician, now):
    appointment = testing.build_appointment(
        used_up_case, now + timedelta(days=1), clinician=clinician
    )

    result = services.set_appointment_status(
        clinician.user, appointment.pk, PA, now=now, acknowledged=True
    )

    change = StatusChange.objects.get()
    assert result.changed
    assert (change.from_status, change.to_status) == ("scheduled", PA)
    assert (change.year, change.used, change.allowance) == (2026, 2, 2)
    assert change.warning_shown and change.warning_acknowledged
    assert change.changed_by == clinician.user
    assert change.channel == "staff"


def test_it_does_not_warn_within_the_allowance(individual_case, clinician, now):
    appointment = testing.build_appointment(
        individual_case, now + timedelta(days=1), clinician=clinician
    )

    result = services.set_appointment_status(
        clinician.user, appointment.pk, PA, now=now
    )

    change = StatusChange.objects.get()
    assert result.changed and not result.warnings
    assert not change.warning_shown and not change.warning_acknowledged


def test_it_counts_earlier_appointments_of_the_same_batch(
    individual_case, clinician, now
):
    individual_case.allowance_override = 1
    individual_case.save()
    batch = [
        testing.build_appointment(
            individual_case, now + timedelta(weeks=n), clinician=clinician
        )
        for n in (3, 1, 2)
    ]
    ids = [a.pk for a in batch]

    first = services.set_appointment_statuses(clinician.user, ids, PA, now=now)
    written_by_first = StatusChange.objects.count()
    second = services.set_appointment_statuses(
        clinician.user, ids, PA, now=now, acknowledged=True
    )

    assert first.needs_acknowledgement
    assert [w.usage.used for w in first.warnings] == [1, 2]
    assert written_by_first == 0
    assert StatusChange.objects.count() == len(second.changes) == 3
    assert [c.warning_acknowledged for c in second.changes] == [False, True, True]


def test_it_warns_per_group_member(group_case, group_members, clinician, now):
    group_case.allowance_override = 1
    group_case.save()
    first = testing.build_appointment(
        group_case, now - timedelta(days=7), clinician=clinician
    )
    second = testing.build_appointment(
        group_case, now + timedelta(days=7), clinician=clinician
    )
    kim_first = first.participants.get(client=group_members[0])
    kim_second = second.participants.get(client=group_members[0])
    lee_second = second.participants.get(client=group_members[1])
    services.set_participant_status(clinician.user, kim_first.pk, PA, now=now)

    kim = services.set_participant_status(clinician.user, kim_second.pk, PA, now=now)
    lee = services.set_participant_status(clinician.user, lee_second.pk, PA, now=now)

    assert kim.needs_acknowledgement
    assert kim.warning.message.startswith("Member 1 in Thursday group: 1 of 1")
    assert lee.changed and not lee.warnings


def test_it_refuses_a_whole_group_planned_absence(group_case, clinician, now):
    appointment = testing.build_appointment(
        group_case, now + timedelta(days=1), clinician=clinician
    )

    with pytest.raises(services.ServiceError, match="each member's absence"):
        services.set_appointment_status(clinician.user, appointment.pk, PA, now=now)


def test_it_refuses_a_biller_and_another_practice(
    individual_case, clinician, biller, outsider, now
):
    appointment = testing.build_appointment(
        individual_case, now + timedelta(days=1), clinician=clinician
    )

    with pytest.raises(services.NotAllowed):
        services.set_appointment_status(biller.user, appointment.pk, PA, now=now)
    with pytest.raises(services.NotFound):
        services.set_appointment_status(outsider.user, appointment.pk, PA, now=now)
    assert not StatusChange.objects.exists()


def test_it_rejects_an_unknown_status(individual_case, clinician, now):
    appointment = testing.build_appointment(
        individual_case, now + timedelta(days=1), clinician=clinician
    )

    with pytest.raises(services.ServiceError, match="Unknown status"):
        services.set_appointment_status(clinician.user, appointment.pk, "gone", now=now)


@pytest.fixture
def manual_practice(practice):
    practice.portal_settings.accept_automatically = False
    practice.portal_settings.save()
    return practice


def test_it_queues_a_request_and_accepts_by_the_rule_at_acceptance(
    manual_practice, individual_case, alice, front_desk, clinician, now
):
    individual_case.allowance_override = 1
    individual_case.save()
    appointment = testing.build_appointment(
        individual_case, now + timedelta(days=5), clinician=clinician
    )
    pending = services.request_cancellation(alice.portal_user, appointment.pk, now=now)
    testing.build_appointment(
        individual_case, now - timedelta(days=1), clinician=clinician, status=PA
    )

    result = services.accept_request(front_desk.user, pending.request.pk, now=now)

    appointment.refresh_from_db()
    request = CancellationRequest.objects.get()
    change = StatusChange.objects.get()
    assert pending.outcome == "pending"
    assert result.changed
    assert appointment.status == "canceled_by_client"
    assert (request.state, request.resulting_status) == (
        "accepted",
        "canceled_by_client",
    )
    assert change.request == request and change.used == 1


def test_it_warns_when_staff_accept_as_planned_absence_past_the_allowance(
    manual_practice, used_up_case, alice, front_desk, clinician, now
):
    appointment = testing.build_appointment(
        used_up_case, now + timedelta(days=5), clinician=clinician
    )
    pending = services.request_cancellation(alice.portal_user, appointment.pk, now=now)

    asked = services.accept_request(
        front_desk.user, pending.request.pk, now=now, status=PA
    )
    saved = services.accept_request(
        front_desk.user, pending.request.pk, now=now, status=PA, acknowledged=True
    )

    assert asked.needs_acknowledgement
    assert saved.changed
    assert StatusChange.objects.get().warning_acknowledged


def test_it_declines_and_refuses_a_second_decision(
    manual_practice, individual_case, alice, front_desk, clinician, now
):
    appointment = testing.build_appointment(
        individual_case, now + timedelta(days=5), clinician=clinician
    )
    pending = services.request_cancellation(alice.portal_user, appointment.pk, now=now)

    services.decline_request(
        front_desk.user, pending.request.pk, now=now, message="Call us"
    )

    with pytest.raises(services.ServiceError, match="already declined"):
        services.accept_request(front_desk.user, pending.request.pk, now=now)
    appointment.refresh_from_db()
    assert appointment.status == "scheduled"
    assert CancellationRequest.objects.get().message == "Call us"


def test_it_keeps_one_pending_request_per_client(
    manual_practice, individual_case, alice, clinician, now
):
    appointment = testing.build_appointment(
        individual_case, now + timedelta(days=5), clinician=clinician
    )

    first = services.request_cancellation(alice.portal_user, appointment.pk, now=now)
    again = services.request_cancellation(alice.portal_user, appointment.pk, now=now)

    assert (first.outcome, again.outcome) == ("pending", "unchanged")
    assert CancellationRequest.objects.count() == 1


def test_it_hides_requests_of_another_practice(
    manual_practice, individual_case, alice, outsider, clinician, now
):
    appointment = testing.build_appointment(
        individual_case, now + timedelta(days=5), clinician=clinician
    )
    pending = services.request_cancellation(alice.portal_user, appointment.pk, now=now)

    with pytest.raises(services.NotFound):
        services.accept_request(outsider.user, pending.request.pk, now=now)
    with pytest.raises(services.NotFound):
        services.decline_request(outsider.user, pending.request.pk, now=now)


def test_its_staff_preview_names_a_waiting_request(
    manual_practice, individual_case, alice, front_desk, clinician, now
):
    appointment = testing.build_appointment(
        individual_case, now + timedelta(days=5), clinician=clinician
    )
    services.request_cancellation(alice.portal_user, appointment.pk, now=now)

    preview = services.preview_for_staff(front_desk.user, appointment.pk, now=now)

    assert preview.pending_request is not None
    assert not preview.allowed


@pytest.mark.parametrize("status", ["attended", "scheduled", "no_show"])
def test_it_accepts_a_request_only_as_a_cancellation(
    manual_practice, individual_case, alice, front_desk, clinician, now, status
):
    appointment = testing.build_appointment(
        individual_case, now + timedelta(days=5), clinician=clinician
    )
    pending = services.request_cancellation(alice.portal_user, appointment.pk, now=now)

    with pytest.raises(services.ServiceError, match="decline the request"):
        services.accept_request(
            front_desk.user, pending.request.pk, now=now, status=status
        )

    appointment.refresh_from_db()
    assert appointment.status == "scheduled"
    assert CancellationRequest.objects.get().state == "pending"


def test_it_accepts_a_request_as_canceled_by_practice(
    manual_practice, individual_case, alice, front_desk, clinician, now
):
    appointment = testing.build_appointment(
        individual_case, now + timedelta(days=5), clinician=clinician
    )
    pending = services.request_cancellation(alice.portal_user, appointment.pk, now=now)

    services.accept_request(
        front_desk.user, pending.request.pk, now=now, status="canceled_by_practice"
    )

    appointment.refresh_from_db()
    assert appointment.status == "canceled_by_practice"


@pytest.mark.parametrize("status", ["attended", "no_show"])
def test_it_records_what_happened_only_once_a_session_started(
    individual_case, clinician, now, status
):
    upcoming = testing.build_appointment(
        individual_case, now + timedelta(days=6), clinician=clinician
    )
    started = testing.build_appointment(
        individual_case, now - timedelta(minutes=5), clinician=clinician
    )

    with pytest.raises(services.ServiceError, match="once the session has started"):
        services.set_appointment_status(clinician.user, upcoming.pk, status, now=now)
    services.set_appointment_status(clinician.user, started.pk, status, now=now)

    upcoming.refresh_from_db()
    started.refresh_from_db()
    assert (upcoming.status, started.status) == ("scheduled", status)


def test_it_words_a_warning_past_the_allowance(used_up_case, clinician, now):
    testing.build_appointment(
        used_up_case, now - timedelta(weeks=3), clinician=clinician, status=PA
    )
    appointment = testing.build_appointment(
        used_up_case, now + timedelta(days=1), clinician=clinician
    )

    result = services.set_appointment_status(
        clinician.user, appointment.pk, PA, now=now
    )

    assert result.warning.message == (
        "Alice: 3 planned absences in 2026 already used, more than the allowance of 2."
    )
