"""The home page: upcoming sessions of every case, recent past, requests."""

from datetime import UTC, datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from appointments.models import AppointmentStatus, ParticipantStatus
from clients.models import Membership

JUNE_10 = datetime(2026, 6, 10, 15, tzinfo=UTC)


def test_it_lists_sessions_of_every_case_in_the_practice_zone(
    signed_in, alice, individual_case, group_case, book, practice
):
    Membership.objects.create(
        practice=practice, case=group_case, client=alice, joined_on=JUNE_10.date()
    )
    book(individual_case, JUNE_10)
    book(group_case, datetime(2026, 6, 12, 22, tzinfo=UTC))
    book(
        individual_case,
        datetime(2026, 5, 20, 15, tzinfo=UTC),
        status=AppointmentStatus.ATTENDED,
    )

    page = signed_in(alice).get("/portal/")

    text = page.content.decode()
    assert (
        '2026-06-10T15:00:00+00:00">Wednesday 10 June 2026, 11:00 AM EDT</time> '
        '<span class="zone">(America/New_York)</span>' in text
    )
    assert "Friday 12 June 2026, 6:00 PM EDT" in text
    assert "Thursday group" in text
    assert "with Carl Clinician" in text
    assert "Attended" in text


def test_it_offers_only_the_actions_the_practice_allows(
    signed_in, alice, individual_case, book, practice
):
    practice.portal_settings.allow_cancellation_requests = False
    practice.portal_settings.allow_rescheduling = True
    practice.portal_settings.save()
    appointment = book(individual_case, JUNE_10)

    text = signed_in(alice).get("/portal/").content.decode()

    assert f"/portal/appointments/{appointment.pk}/reschedule/" in text
    assert f"/portal/appointments/{appointment.pk}/cancel/" not in text


def test_it_shows_pending_requests(signed_in, alice, individual_case, book, practice):
    practice.portal_settings.accept_automatically = False
    practice.portal_settings.save()
    appointment = book(individual_case, JUNE_10)
    client = signed_in(alice)
    client.post(f"/portal/appointments/{appointment.pk}/cancel/")

    text = client.get("/portal/").content.decode()

    assert "Waiting for the practice" in text
    assert "Cancellation requested" in text
    assert "Withdraw request" in text


def test_it_hides_changes_inside_the_minimum_notice_and_says_why(
    signed_in, group_members, group_case, individual_case, book, practice, now
):
    """A group session today at 1:00 PM, with 24 hours' notice required."""
    practice.phone = "+1 555 0100"
    practice.save()
    practice.portal_settings.minimum_notice = timedelta(hours=24)
    practice.portal_settings.allow_rescheduling = True
    practice.portal_settings.save()
    today = book(group_case, datetime(2026, 6, 1, 17, tzinfo=UTC))
    later = book(group_case, JUNE_10)
    client = signed_in(group_members[0])

    home = client.get("/portal/").content.decode()
    session = client.get(f"/portal/appointments/{today.pk}/").content.decode()

    assert "Monday 1 June 2026, 1:00 PM EDT" in home
    assert f"/portal/appointments/{today.pk}/absence/" not in home
    assert f"/portal/appointments/{later.pk}/absence/" in home
    assert home.count("Too close to the start to change online.") == 1
    assert "+1 555 0100" in home
    assert f"/portal/appointments/{today.pk}/absence/" not in session
    assert "Too close to the start to change online." in session


def test_it_offers_no_action_the_portal_would_refuse(
    signed_in, alice, individual_case, book, practice
):
    practice.portal_settings.allow_rescheduling = True
    practice.portal_settings.save()
    cancelled = book(
        individual_case, JUNE_10, status=AppointmentStatus.CANCELED_BY_PRACTICE
    )

    text = signed_in(alice).get("/portal/").content.decode()

    assert f"/portal/appointments/{cancelled.pk}/cancel/" not in text
    assert f"/portal/appointments/{cancelled.pk}/reschedule/" not in text
    assert "Too close" not in text


def test_it_reads_home_in_the_same_number_of_queries(
    signed_in, alice, individual_case, group_case, book, practice
):
    """No query per appointment: one session or twelve cost the same."""
    practice.portal_settings.accept_automatically = False
    practice.portal_settings.allow_rescheduling = True
    practice.portal_settings.save()
    Membership.objects.create(
        practice=practice, case=group_case, client=alice, joined_on=JUNE_10.date()
    )
    first = book(individual_case, JUNE_10)
    book(group_case, JUNE_10 + timedelta(days=1))
    book(
        individual_case,
        JUNE_10 - timedelta(weeks=2),
        status=AppointmentStatus.ATTENDED,
    )
    client = signed_in(alice)
    client.post(f"/portal/appointments/{first.pk}/cancel/")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/portal/").status_code == 200
        return len(queries)

    few = count()
    for week in range(3, 8):
        book(individual_case, JUNE_10 + timedelta(weeks=week))
        book(group_case, JUNE_10 + timedelta(weeks=week, days=1))
        book(
            individual_case,
            JUNE_10 - timedelta(weeks=week),
            status=AppointmentStatus.ATTENDED,
        )
    second = book(individual_case, JUNE_10 + timedelta(days=2))
    client.post(f"/portal/appointments/{second.pk}/cancel/")

    assert count() == few


def test_it_shows_a_partners_request_without_a_withdraw_button(
    signed_in, couple, couple_case, book, practice
):
    practice.portal_settings.accept_automatically = False
    practice.portal_settings.save()
    bea, ben = couple
    appointment = book(couple_case, JUNE_10)
    signed_in(bea).post(f"/portal/appointments/{appointment.pk}/cancel/")

    text = signed_in(ben).get("/portal/").content.decode()

    assert "Waiting for the practice" in text
    assert "sent by Bea Partner" in text
    assert "Withdraw request" not in text
    assert text.index("Waiting for the practice") < text.index("Upcoming")


def test_it_labels_a_members_absence_for_clients(
    signed_in, group_members, group_case, book
):
    appointment = book(
        group_case,
        datetime(2026, 5, 21, 22, tzinfo=UTC),
        status=AppointmentStatus.ATTENDED,
    )
    appointment.participants.filter(client=group_members[0]).update(
        status=ParticipantStatus.ABSENT
    )

    text = signed_in(group_members[0]).get("/portal/").content.decode()

    assert "<strong>Absent (without notice)</strong>" in text
