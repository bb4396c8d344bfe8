"""The home page: upcoming sessions of every case, recent past, requests."""

from datetime import UTC, datetime

from appointments.models import AppointmentStatus
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
    assert "Wednesday 10 June 2026, 11:00 AM" in text
    assert "(EDT, America/New_York time)" in text
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
