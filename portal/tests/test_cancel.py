"""The cancel page: a GET that explains, a POST that goes through the service."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.core import mail

from appointments.models import (
    AppointmentStatus,
    CancellationRequest,
    RequestState,
    StatusChange,
)
from practicerunner import testing

JUNE_10 = datetime(2026, 6, 10, 15, tzinfo=UTC)


def _use_planned_absences(case, count):
    for day in range(1, count + 1):
        testing.build_appointment(
            case,
            datetime(2026, 1, day, 15, tzinfo=UTC),
            clinician=case.clinicians.first(),
            status=AppointmentStatus.PLANNED_ABSENCE,
        )


def test_it_says_how_many_planned_absences_remain(
    signed_in, alice, individual_case, book
):
    _use_planned_absences(individual_case, 2)
    appointment = book(individual_case, JUNE_10)

    page = signed_in(alice).get(f"/portal/appointments/{appointment.pk}/cancel/")

    text = page.content.decode()
    assert "This will use 1 of your 6 planned absences for 2026; 3 will remain." in text
    assert "It will be marked Planned absence, which has no fee." in text
    assert "Cancel this session" in text


def test_it_warns_of_the_fee_when_the_allowance_is_used_up(
    signed_in, alice, individual_case, book, practice
):
    practice.portal_settings.allow_rescheduling = True
    practice.portal_settings.save()
    _use_planned_absences(individual_case, 6)
    appointment = book(individual_case, JUNE_10)

    page = signed_in(alice).get(f"/portal/appointments/{appointment.pk}/cancel/")

    text = page.content.decode()
    assert "You have used all 6 planned absences for 2026." in text
    assert "you may have to pay the session fee of 120.00 USD" in text
    assert "Reschedule instead" in text
    assert "Cancel anyway" in text


def test_it_names_no_fee_when_billing_does_not_keep_it(
    signed_in, alice, individual_case, book, practice
):
    practice.billing_settings.canceled_by_client_keeps_fee = False
    practice.billing_settings.save()
    _use_planned_absences(individual_case, 6)
    appointment = book(individual_case, JUNE_10)

    page = signed_in(alice).get(f"/portal/appointments/{appointment.pk}/cancel/")

    text = page.content.decode()
    assert "The practice does not charge a fee for it." in text
    assert "Reschedule instead" not in text


def test_it_shows_no_figures_with_the_allowance_off(
    signed_in, alice, individual_case, book, practice
):
    practice.portal_settings.use_allowance = False
    practice.portal_settings.save()
    appointment = book(individual_case, JUNE_10)

    page = signed_in(alice).get(f"/portal/appointments/{appointment.pk}/cancel/")

    text = page.content.decode()
    assert "planned absence" not in text.lower()
    assert text.count("Canceled by client") == 1
    assert (
        "The session will be marked Canceled by client, and you may have to pay "
        "the session fee of 120.00 USD." in text
    )


def test_it_speaks_of_no_allowance_for_a_couple_with_the_feature_off(
    signed_in, couple, couple_case, book, practice
):
    """One statement of status and fee; reschedule first, as it costs money."""
    settings = practice.portal_settings
    settings.use_allowance = False
    settings.accept_automatically = False
    settings.allow_rescheduling = True
    settings.save()
    appointment = book(couple_case, JUNE_10)

    page = signed_in(couple[0]).get(f"/portal/appointments/{appointment.pk}/cancel/")

    text = page.content.decode()
    assert "planned absence" not in text.lower()
    assert "figures" not in text
    assert "shares" not in text
    assert text.count("Canceled by client") == 1
    assert "Everyone in this case will see this change." in text
    assert "The practice confirms each request." in text
    assert 'class="panel offer"' in text
    assert text.index("Reschedule instead") < text.index("Ask to cancel anyway")


def test_it_offers_no_prominent_reschedule_when_nothing_is_charged(
    signed_in, alice, individual_case, book, practice
):
    practice.portal_settings.use_allowance = False
    practice.portal_settings.allow_rescheduling = True
    practice.portal_settings.save()
    practice.billing_settings.canceled_by_client_keeps_fee = False
    practice.billing_settings.save()
    appointment = book(individual_case, JUNE_10)

    page = signed_in(alice).get(f"/portal/appointments/{appointment.pk}/cancel/")

    text = page.content.decode()
    assert (
        "The session will be marked Canceled by client. The practice does not "
        "charge a fee for it." in text
    )
    assert 'class="panel offer"' not in text
    assert "Reschedule instead" in text
    assert "Cancel this session" in text


def test_it_cancels_and_names_the_status(
    signed_in, alice, individual_case, book, django_capture_on_commit_callbacks
):
    appointment = book(individual_case, JUNE_10)
    client = signed_in(alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/portal/appointments/{appointment.pk}/cancel/", follow=True
        )

    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.PLANNED_ABSENCE
    assert "The session is now: Planned absence." in response.content.decode()
    assert [m.to for m in mail.outbox] == [
        [alice.email],
        ["clinician.harbour@example.test"],
    ]
    assert mail.outbox[0].subject == "Cancellation confirmed"
    assert "Planned absences in 2026: 1 of 6 used, 5 remaining." in mail.outbox[0].body
    assert "Planned absences: 1 of 6 used in 2026; 5 remaining." in mail.outbox[1].body


def test_it_sends_one_email_on_a_double_submit(
    signed_in, alice, individual_case, book, django_capture_on_commit_callbacks
):
    appointment = book(individual_case, JUNE_10)
    client = signed_in(alice)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/portal/appointments/{appointment.pk}/cancel/")
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(
            f"/portal/appointments/{appointment.pk}/cancel/", follow=True
        )

    assert len(mail.outbox) == 2  # one to Alice, one to Carl
    assert "Nothing changed" in again.content.decode()
    assert StatusChange.objects.filter(appointment=appointment).count() == 1


def test_it_sends_a_request_when_the_practice_confirms(
    signed_in,
    alice,
    individual_case,
    book,
    practice,
    django_capture_on_commit_callbacks,
):
    practice.portal_settings.accept_automatically = False
    practice.portal_settings.save()
    appointment = book(individual_case, JUNE_10)
    client = signed_in(alice)

    preview = client.get(f"/portal/appointments/{appointment.pk}/cancel/")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/portal/appointments/{appointment.pk}/cancel/", follow=True
        )

    assert "The practice confirms each request." in preview.content.decode()
    text = response.content.decode()
    assert "Your cancellation request was sent." in text
    assert "Cancellation requested" in text
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.SCHEDULED
    assert mail.outbox[0].subject == "Cancellation request received"


def test_it_lets_alice_withdraw_her_request(
    signed_in, alice, individual_case, book, practice, now
):
    practice.portal_settings.accept_automatically = False
    practice.portal_settings.save()
    appointment = book(individual_case, JUNE_10)
    client = signed_in(alice)
    client.post(f"/portal/appointments/{appointment.pk}/cancel/")
    request = CancellationRequest.objects.get()

    client.post(f"/portal/requests/{request.pk}/withdraw/")

    request.refresh_from_db()
    assert request.state == RequestState.WITHDRAWN


def test_it_refuses_inside_the_minimum_notice_with_the_practice_contact(
    signed_in, alice, individual_case, book, practice, now
):
    practice.phone = "+1 555 0100"
    practice.email = "desk@harbour.example.test"
    practice.save()
    practice.portal_settings.minimum_notice = timedelta(hours=24)
    practice.portal_settings.save()
    appointment = book(individual_case, now + timedelta(hours=20))
    client = signed_in(alice)

    page = client.get(f"/portal/appointments/{appointment.pk}/cancel/")
    posted = client.post(f"/portal/appointments/{appointment.pk}/cancel/")

    for response in (page, posted):
        text = response.content.decode()
        assert "too close to the start" in text
        assert "+1 555 0100" in text
        assert "desk@harbour.example.test" in text
    assert posted.status_code == 409
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.SCHEDULED
    assert mail.outbox == []


def test_it_refuses_a_session_that_started_or_ended(
    signed_in, alice, individual_case, book, now
):
    started = book(individual_case, now - timedelta(minutes=10))
    ended = book(individual_case, now - timedelta(days=2))
    client = signed_in(alice)

    started_page = client.get(f"/portal/appointments/{started.pk}/cancel/")
    ended_page = client.post(f"/portal/appointments/{ended.pk}/cancel/")

    assert "This session has already started." in started_page.content.decode()
    assert "This session is already over." in ended_page.content.decode()


def test_it_shows_the_existing_outcome_of_a_cancelled_session(
    signed_in, alice, individual_case, book
):
    appointment = book(
        individual_case, JUNE_10, status=AppointmentStatus.CANCELED_BY_PRACTICE
    )

    page = signed_in(alice).get(f"/portal/appointments/{appointment.pk}/cancel/")

    text = page.content.decode()
    assert "This session is no longer scheduled." in text
    assert "It is now: Canceled by practice." in text


def test_it_refuses_when_portal_cancellations_are_off(
    signed_in, alice, individual_case, book, practice
):
    practice.portal_settings.allow_cancellation_requests = False
    practice.portal_settings.save()
    appointment = book(individual_case, JUNE_10)

    response = signed_in(alice).post(f"/portal/appointments/{appointment.pk}/cancel/")

    assert "does not take cancellations in the portal" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.SCHEDULED


def test_it_shows_bea_the_cancellation_ben_made(signed_in, couple, couple_case, book):
    bea, ben = couple
    appointment = book(couple_case, JUNE_10)
    signed_in(ben).post(f"/portal/appointments/{appointment.pk}/cancel/")

    home = signed_in(bea).get("/portal/")
    page = signed_in(bea).get(f"/portal/appointments/{appointment.pk}/")

    assert "Planned absence" in home.content.decode()
    assert "1 of 6 used" in page.content.decode()


def test_it_tells_the_couple_the_allowance_is_shared(
    signed_in, couple, couple_case, book
):
    appointment = book(couple_case, JUNE_10)

    page = signed_in(couple[0]).get(f"/portal/appointments/{appointment.pk}/cancel/")

    assert "Everyone in this case shares the planned absences" in (
        page.content.decode()
    )


def test_it_keeps_the_fee_figure_exact(signed_in, alice, practice, clinician, book):
    case = testing.build_case(
        practice, members=[alice], override=0, fee=Decimal("95.50"), title="Short"
    )
    appointment = book(case, JUNE_10)

    page = signed_in(alice).get(f"/portal/appointments/{appointment.pk}/cancel/")

    text = page.content.decode()
    assert "There are no planned absences for 2026." in text
    assert "95.50 USD" in text
