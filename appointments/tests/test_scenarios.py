"""The allowance scenarios of the engine's issue, each with frozen time."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from appointments import services
from appointments.models import Appointment, Participant, StatusChange
from clients.models import CaseKind
from practicerunner import testing

PA = "planned_absence"
CBC = "canceled_by_client"


def local(zone, *args):
    return datetime(*args, tzinfo=ZoneInfo(zone))


def build(zone, allowance, kind=CaseKind.INDIVIDUAL, members=1):
    practice = testing.build_practice(
        slug=zone.split("/")[-1].lower(), time_zone=zone, default_allowance=allowance
    )
    clinician = testing.build_staff(practice, name="Carl Clinician")
    clients = [
        testing.build_client(practice, f"Client {n}", portal=True)
        for n in range(members)
    ]
    case = testing.build_case(practice, kind, clients, clinicians=[clinician])
    return practice, clinician, clients, case


def session(case, clinician, start, status="scheduled"):
    return testing.build_appointment(case, start, clinician=clinician, status=status)


@pytest.mark.django_db
def test_it_counts_the_year_in_the_practice_zone_los_angeles():
    zone = "America/Los_Angeles"
    _, clinician, (client,), case = build(zone, 2)
    session(case, clinician, local(zone, 2026, 3, 2, 10), PA)
    session(case, clinician, local(zone, 2026, 7, 14, 10), PA)
    new_years_eve = session(case, clinician, local(zone, 2026, 12, 31, 17))
    assert new_years_eve.start == datetime(2027, 1, 1, 1, tzinfo=UTC)

    outcome = services.request_cancellation(
        client.portal_user, new_years_eve.pk, now=local(zone, 2026, 12, 28, 9)
    )

    assert outcome.status == CBC
    assert outcome.usage.year == 2026


@pytest.mark.django_db
def test_it_counts_the_year_in_the_practice_zone_auckland():
    zone = "Pacific/Auckland"
    _, clinician, (client,), case = build(zone, 2)
    session(case, clinician, local(zone, 2026, 3, 2, 10), PA)
    session(case, clinician, local(zone, 2026, 7, 14, 10), PA)
    new_years_day = session(case, clinician, local(zone, 2027, 1, 1, 9))
    assert new_years_day.start.astimezone(UTC).year == 2026

    outcome = services.request_cancellation(
        client.portal_user, new_years_day.pk, now=local(zone, 2026, 12, 28, 9)
    )

    assert outcome.status == PA
    assert (outcome.usage.year, outcome.usage.used) == (2027, 0)


@pytest.mark.django_db
def test_it_uses_next_years_allowance_for_next_years_session():
    zone = "America/Chicago"
    _, clinician, (client,), case = build(zone, 2)
    session(case, clinician, local(zone, 2026, 2, 2, 10), PA)
    session(case, clinician, local(zone, 2026, 3, 2, 10), PA)
    january = session(case, clinician, local(zone, 2027, 1, 12, 10))

    outcome = services.request_cancellation(
        client.portal_user, january.pk, now=local(zone, 2026, 12, 15, 9)
    )

    assert outcome.status == PA
    assert outcome.usage.summary() == "0 of 2 used in 2027; 2 remaining"


@pytest.mark.django_db
def test_it_counts_past_planned_absences_and_frees_a_corrected_one():
    zone = "America/New_York"
    practice, clinician, (client,), case = build(zone, 2)
    owner = testing.build_staff(practice, "owner", name="Olivia Owner")
    session(case, clinician, local(zone, 2026, 2, 2, 10), PA)
    march = session(case, clinician, local(zone, 2026, 3, 2, 10), PA)
    april = session(case, clinician, local(zone, 2026, 4, 6, 10))
    may = session(case, clinician, local(zone, 2026, 5, 4, 10))

    first = services.request_cancellation(
        client.portal_user, april.pk, now=local(zone, 2026, 4, 1, 9)
    )
    services.set_appointment_status(
        owner.user, march.pk, "attended", now=local(zone, 2026, 4, 2, 9)
    )
    second = services.request_cancellation(
        client.portal_user, may.pk, now=local(zone, 2026, 4, 3, 9)
    )

    assert first.status == CBC
    assert second.status == PA
    assert second.usage.used == 1


@pytest.mark.django_db
def test_it_cancels_one_occurrence_of_a_weekly_series(practice, owner, clinician):
    client = testing.build_client(practice, "Sol Series", portal=True)
    case = testing.build_case(practice, members=[client], clinicians=[clinician])
    now = local(practice.time_zone, 2026, 5, 1, 9)
    series = services.create_appointments(
        owner.user,
        case=case,
        clinician=clinician,
        start=local(practice.time_zone, 2026, 5, 4, 15),
        duration=timedelta(minutes=50),
        weeks=6,
        now=now,
    )

    services.request_cancellation(client.portal_user, series[2].pk, now=now)

    statuses = list(
        Appointment.objects.filter(series=series[0].series).values_list(
            "status", flat=True
        )
    )
    assert statuses == [
        "scheduled",
        "scheduled",
        PA,
        "scheduled",
        "scheduled",
        "scheduled",
    ]


def test_its_weekly_series_keeps_the_local_hour_across_daylight_saving(
    practice, owner, clinician, individual_case
):
    zone = practice.zone
    series = services.create_appointments(
        owner.user,
        case=individual_case,
        clinician=clinician,
        start=local(practice.time_zone, 2026, 10, 26, 15),
        duration=timedelta(minutes=50),
        weeks=3,
        now=local(practice.time_zone, 2026, 10, 1, 9),
    )

    assert [a.start.astimezone(zone).hour for a in series] == [15, 15, 15]


@pytest.mark.parametrize(
    ("start", "end", "reason"),
    [
        (datetime(2026, 6, 1, 11, 40), datetime(2026, 6, 1, 12, 30), "started"),
        (datetime(2026, 5, 31, 10), datetime(2026, 5, 31, 11), "ended"),
    ],
)
def test_it_refuses_sessions_that_started_or_ended(
    individual_case, alice, clinician, now, start, end, reason
):
    appointment = Appointment.objects.create(
        practice=individual_case.practice,
        case=individual_case,
        clinician=clinician,
        start=start.replace(tzinfo=UTC),
        end=end.replace(tzinfo=UTC),
    )

    with pytest.raises(services.Refused) as refused:
        services.request_cancellation(alice.portal_user, appointment.pk, now=now)

    appointment.refresh_from_db()
    assert refused.value.refusal.code == reason
    assert appointment.status == "scheduled"
    assert not StatusChange.objects.exists()


def test_it_refuses_a_group_member_cancelling_the_whole_session(
    group_case, group_members, clinician, now
):
    appointment = testing.build_appointment(
        group_case, now + timedelta(days=3), clinician=clinician
    )

    with pytest.raises(services.Refused) as refused:
        services.request_cancellation(
            group_members[0].portal_user, appointment.pk, now=now
        )

    assert refused.value.refusal.code == "whole_session"
    assert set(Participant.objects.values_list("status", flat=True)) == {"expected"}
    appointment.refresh_from_db()
    assert appointment.status == "scheduled"


def test_it_bills_after_an_override_is_lowered_below_usage(
    practice, individual_case, alice, clinician, now
):
    individual_case.allowance_override = 4
    individual_case.save()
    for day in (1, 2, 3):
        session(individual_case, clinician, now - timedelta(days=day * 7), PA)
    individual_case.allowance_override = 2
    individual_case.save()
    upcoming = session(individual_case, clinician, now + timedelta(days=7))

    outcome = services.request_cancellation(alice.portal_user, upcoming.pk, now=now)

    usage = services.case_usage(individual_case, 2026)
    assert outcome.status == CBC
    assert usage.summary() == "3 used of 2 in 2026; 0 remaining"
    assert usage.remaining == 0


def test_it_answers_a_repeated_request_with_the_existing_outcome(
    individual_case, alice, clinician, now
):
    appointment = session(individual_case, clinician, now + timedelta(days=2))

    first = services.request_cancellation(alice.portal_user, appointment.pk, now=now)
    with time_machine.travel(now + timedelta(milliseconds=150), tick=False):
        again = services.request_cancellation(
            alice.portal_user, appointment.pk, now=now + timedelta(milliseconds=150)
        )

    assert (first.outcome, first.status) == ("accepted", PA)
    assert (again.outcome, again.status) == ("unchanged", PA)
    assert StatusChange.objects.count() == 1


def test_it_shares_a_couples_allowance(couple_case, couple, clinician, now):
    couple_case.allowance_override = 1
    couple_case.save()
    first = session(couple_case, clinician, now + timedelta(days=2))
    second = session(couple_case, clinician, now + timedelta(days=9))

    bea = services.request_cancellation(couple[0].portal_user, first.pk, now=now)
    ben = services.request_cancellation(couple[1].portal_user, second.pk, now=now)

    assert (bea.status, ben.status) == (PA, CBC)


def test_it_gives_each_group_member_their_own_allowance(
    group_case, group_members, clinician, now
):
    group_case.allowance_override = 1
    group_case.save()
    first = session(group_case, clinician, now + timedelta(days=2))
    second = session(group_case, clinician, now + timedelta(days=9))
    kim, lee = group_members[0].portal_user, group_members[1].portal_user

    outcomes = [
        services.report_absence(kim, first.pk, now=now),
        services.report_absence(lee, first.pk, now=now),
        services.report_absence(kim, second.pk, now=now),
    ]

    assert [o.status for o in outcomes] == [PA, PA, CBC]
    first.refresh_from_db()
    assert first.status == "scheduled"


def test_it_answers_not_found_to_a_non_member(
    practice, individual_case, clinician, now
):
    stranger = testing.build_client(practice, "Stan Stranger", portal=True)
    appointment = session(individual_case, clinician, now + timedelta(days=2))

    with pytest.raises(services.NotFound):
        services.request_cancellation(stranger.portal_user, appointment.pk, now=now)
    with pytest.raises(services.NotFound):
        services.preview_cancellation(stranger.portal_user, appointment.pk, now=now)


def test_it_refuses_when_portal_cancellations_are_off(
    practice, individual_case, alice, clinician, now
):
    practice.portal_settings.allow_cancellation_requests = False
    practice.portal_settings.save()
    appointment = session(individual_case, clinician, now + timedelta(days=2))

    with pytest.raises(services.Refused) as refused:
        services.request_cancellation(alice.portal_user, appointment.pk, now=now)

    assert refused.value.refusal.code == "portal_off"


def test_it_refuses_inside_the_minimum_notice(
    practice, individual_case, alice, clinician, now
):
    practice.portal_settings.minimum_notice = timedelta(hours=24)
    practice.portal_settings.save()
    appointment = session(individual_case, clinician, now + timedelta(hours=23))

    with pytest.raises(services.Refused) as refused:
        services.request_cancellation(alice.portal_user, appointment.pk, now=now)

    assert refused.value.refusal.code == "inside_notice"


def test_it_cancels_by_client_when_the_allowance_feature_is_off(
    practice, individual_case, alice, clinician, now
):
    practice.portal_settings.use_allowance = False
    practice.portal_settings.save()
    appointment = session(individual_case, clinician, now + timedelta(days=2))

    outcome = services.request_cancellation(alice.portal_user, appointment.pk, now=now)

    assert outcome.status == CBC
    assert outcome.usage is None
    assert StatusChange.objects.get().allowance is None


def test_its_preview_changes_nothing(individual_case, alice, clinician, now):
    appointment = session(individual_case, clinician, now + timedelta(days=2))

    preview = services.preview_cancellation(alice.portal_user, appointment.pk, now=now)

    appointment.refresh_from_db()
    assert (preview.status, preview.usage.remaining) == (PA, 6)
    assert appointment.status == "scheduled"
    assert not StatusChange.objects.exists()


def test_it_answers_not_found_to_a_member_who_left(couple_case, couple, clinician, now):
    couple_case.memberships.filter(client=couple[1]).update(left_on=now.date())
    appointment = session(couple_case, clinician, now + timedelta(days=2))

    with pytest.raises(services.NotFound):
        services.request_cancellation(couple[1].portal_user, appointment.pk, now=now)
    appointment.refresh_from_db()
    assert appointment.status == "scheduled"
