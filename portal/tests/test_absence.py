"""A group member lets the practice know they can't attend."""

from datetime import UTC, datetime

from django.core import mail

from appointments.models import AppointmentStatus, Participant, ParticipantStatus

JUNE_11 = datetime(2026, 6, 11, 23, tzinfo=UTC)


def test_it_offers_no_whole_session_cancel_to_a_group_member(
    signed_in, group_members, group_case, book
):
    appointment = book(group_case, JUNE_11)
    client = signed_in(group_members[0])

    home = client.get("/portal/").content.decode()
    cancel = client.get(f"/portal/appointments/{appointment.pk}/cancel/")

    assert "I can't attend" in home
    assert f"/portal/appointments/{appointment.pk}/cancel/" not in home
    assert cancel.status_code == 302
    assert cancel["Location"] == f"/portal/appointments/{appointment.pk}/absence/"


def test_it_explains_the_members_own_allowance(
    signed_in, group_members, group_case, book
):
    appointment = book(group_case, JUNE_11)

    page = signed_in(group_members[0]).get(
        f"/portal/appointments/{appointment.pk}/absence/"
    )

    text = page.content.decode()
    assert (
        "This will use 1 of your 6 planned absences in this group for 2026; "
        "5 will remain." in text
    )
    assert "Let the practice know I can&#x27;t attend" in text


def test_it_records_only_the_members_absence(
    signed_in, group_members, group_case, book, django_capture_on_commit_callbacks
):
    appointment = book(group_case, JUNE_11)
    first = group_members[0]

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(first).post(
            f"/portal/appointments/{appointment.pk}/absence/", follow=True
        )

    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.SCHEDULED
    statuses = dict(
        Participant.objects.filter(appointment=appointment).values_list(
            "client_id", "status"
        )
    )
    assert statuses[first.pk] == ParticipantStatus.PLANNED_ABSENCE
    assert statuses[group_members[1].pk] == ParticipantStatus.EXPECTED
    page = response.content.decode()
    assert "Your attendance for this session: Planned absence (no fee)." in page
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Absence confirmed", [first.email]),
        ("[Harbour Therapy] Absence confirmed", ["clinician.harbour@example.test"]),
    ]


def test_it_does_not_show_a_members_absence_to_the_others(
    signed_in, group_members, group_case, book
):
    appointment = book(group_case, JUNE_11)
    signed_in(group_members[0]).post(
        f"/portal/appointments/{appointment.pk}/absence/", follow=True
    )

    page = signed_in(group_members[1]).get(f"/portal/appointments/{appointment.pk}/")

    text = page.content.decode()
    assert "<strong>Expected</strong>" in text
    assert "0 of 6 used" in text


def test_it_speaks_of_the_members_attendance_not_the_session(
    signed_in, group_members, group_case, book
):
    appointment = book(group_case, JUNE_11)

    page = signed_in(group_members[0]).get(
        f"/portal/appointments/{appointment.pk}/absence/"
    )

    text = page.content.decode()
    assert (
        "Your attendance will be recorded as Planned absence, which has no fee." in text
    )
    assert "It will be marked" not in text


def test_it_says_the_group_goes_ahead_when_the_absence_costs_the_fee(
    signed_in, group_members, group_case, book, practice
):
    group_case.allowance_override = 0
    group_case.save()
    billing = practice.billing_settings
    billing.canceled_by_client_keeps_fee = True
    billing.save()
    appointment = book(group_case, JUNE_11)
    client = signed_in(group_members[0])

    page = client.get(f"/portal/appointments/{appointment.pk}/absence/")
    done = client.post(f"/portal/appointments/{appointment.pk}/absence/", follow=True)

    text = page.content.decode()
    assert (
        "Your attendance will be recorded as Canceled by client, and you may have "
        "to pay the session fee of 120.00 USD; the group session goes ahead." in text
    )
    assert "The session will be marked" not in text
    assert "the session stays booked" not in text
    assert (
        "Your attendance for this session: Canceled by client (fee 120.00 USD)."
        in done.content.decode()
    )


def test_it_says_the_member_is_expected_until_the_practice_confirms(
    signed_in, group_members, group_case, book, practice
):
    settings = practice.portal_settings
    settings.accept_automatically = False
    settings.save()
    appointment = book(group_case, JUNE_11)
    client = signed_in(group_members[0])

    page = client.get(f"/portal/appointments/{appointment.pk}/absence/")
    sent = client.post(f"/portal/appointments/{appointment.pk}/absence/", follow=True)

    assert (
        "The practice confirms each absence notice. Until they do, you are still "
        "expected at the session" in page.content.decode()
    )
    assert "Until then you are still expected at the session." in (
        sent.content.decode()
    )
