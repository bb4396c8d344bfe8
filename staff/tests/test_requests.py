from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from appointments import services
from appointments.models import CancellationRequest, StatusChange
from practicerunner import testing
from practices.models import PortalSettings

from .conftest import NOW, use_up

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def manual(practice):
    PortalSettings.objects.filter(practice=practice).update(accept_automatically=False)


@pytest.fixture
def alices_request(manual, alice, session):
    outcome = services.request_cancellation(alice.portal_user, session.pk, now=NOW)
    return outcome.request


@pytest.fixture
def members_request(manual, group_members, group_session):
    member = group_members[0]
    earlier = NOW - timedelta(hours=1)
    outcome = services.report_absence(member.portal_user, group_session.pk, now=earlier)
    return outcome.request


def test_it_lists_pending_requests_with_what_accepting_would_do(
    signed_in, front_desk, alices_request, members_request
):
    response = signed_in(front_desk).get(reverse("staff:requests"))

    page = response.content.decode()
    assert page.index("Thursday group") < page.index("Alice · ")  # oldest first
    assert "asked by <strong>Alice Individual</strong>" in page
    assert "Accepting now would make it <strong>Planned absence</strong>" in page
    assert (
        "Planned absence · would use 1 of 6 planned absences in 2026; "
        "5 will remain · no fee"
    ) in page


def test_it_counts_pending_requests_in_the_navigation(
    signed_in, clinician, alices_request
):
    response = signed_in(clinician).get(reverse("staff:schedule"))

    assert 'aria-label="1 pending">1</span>' in response.content.decode()


def test_it_accepts_by_the_allowance(signed_in, front_desk, alices_request, session):
    response = signed_in(front_desk).post(
        reverse("staff:request_accept", args=[alices_request.pk]), follow=True
    )

    session.refresh_from_db()
    assert session.status == "planned_absence"
    assert "Accepted Alice Individual&#x27;s request" in response.content.decode()
    assert "No requests waiting." in response.content.decode()


def test_it_accepts_past_the_allowance_as_canceled_by_client(
    signed_in, front_desk, alices_request, session, individual_case, clinician
):
    use_up(individual_case, clinician, 6)

    signed_in(front_desk).post(
        reverse("staff:request_accept", args=[alices_request.pk])
    )

    session.refresh_from_db()
    assert session.status == "canceled_by_client"


def test_it_warns_when_staff_choose_planned_absence_past_the_allowance(
    signed_in, front_desk, alices_request, session, individual_case, clinician
):
    use_up(individual_case, clinician, 6)
    url = reverse("staff:request_accept", args=[alices_request.pk])
    field = f"r{alices_request.pk}"
    browser = signed_in(front_desk)

    warned = browser.post(url, {f"{field}-status": "planned_absence"})
    saved = browser.post(
        url, {f"{field}-status": "planned_absence", f"{field}-acknowledged": "on"}
    )

    assert (
        "Alice: 6 of 6 planned absences in 2026 already used."
        in warned.content.decode()
    )
    assert saved.status_code == 302
    record = StatusChange.objects.get(appointment=session, request=alices_request)
    assert record.warning_acknowledged


def test_it_accepts_a_members_absence(
    signed_in, clinician, members_request, group_session
):
    signed_in(clinician).post(
        reverse("staff:request_accept", args=[members_request.pk])
    )

    participant = group_session.participants.get(client__name="Member 1")
    assert participant.status == "planned_absence"


def test_it_declines_with_a_message(signed_in, front_desk, alices_request, session):
    field = f"r{alices_request.pk}-message"

    response = signed_in(front_desk).post(
        reverse("staff:request_decline", args=[alices_request.pk]),
        {field: "Please call us."},
        follow=True,
    )

    alices_request.refresh_from_db()
    assert alices_request.state == "declined"
    assert alices_request.message == "Please call us."
    assert "Declined Alice Individual&#x27;s request" in response.content.decode()
    session.refresh_from_db()
    assert session.status == "scheduled"


def test_it_keeps_a_biller_read_only(signed_in, biller, alices_request):
    browser = signed_in(biller)

    page = browser.get(reverse("staff:requests"))
    accept = browser.post(reverse("staff:request_accept", args=[alices_request.pk]))
    decline = browser.post(reverse("staff:request_decline", args=[alices_request.pk]))

    assert "Accept</button>" not in page.content.decode()
    assert (accept.status_code, decline.status_code) == (403, 403)
    assert CancellationRequest.objects.get(pk=alices_request.pk).state == "pending"


def test_it_says_when_a_request_was_already_decided(
    signed_in, front_desk, alices_request
):
    browser = signed_in(front_desk)
    browser.post(reverse("staff:request_decline", args=[alices_request.pk]))

    response = browser.post(
        reverse("staff:request_decline", args=[alices_request.pk]), follow=True
    )

    assert "This request was already declined." in response.content.decode()


def test_it_issues_few_queries_for_a_long_queue(
    signed_in, front_desk, manual, practice, clinician, django_assert_max_num_queries
):
    from clients.models import CaseKind
    from practicerunner import testing

    for n in range(6):
        person = testing.build_client(practice, f"Client {n}", portal=True)
        case = testing.build_case(
            practice, CaseKind.INDIVIDUAL, [person], title=f"C{n}"
        )
        appointment = testing.build_appointment(
            case, datetime(2026, 7, 1 + n, 14, tzinfo=UTC), clinician=clinician
        )
        services.request_cancellation(person.portal_user, appointment.pk, now=NOW)
    browser = signed_in(front_desk)
    mail.outbox.clear()

    with django_assert_max_num_queries(8):
        browser.get(reverse("staff:requests"))


def _options(page, field):
    select = page[page.index(f'name="{field}"') :]
    select = select[: select.index("</select>")]
    return [
        part.split(">", 1)[1].split("<", 1)[0] for part in select.split("<option")[1:]
    ]


def test_it_offers_only_the_outcomes_a_request_can_have(
    signed_in, front_desk, alices_request, members_request
):
    response = signed_in(front_desk).get(reverse("staff:requests"))

    page = response.content.decode()
    assert _options(page, f"r{alices_request.pk}-status") == [
        "As the allowance decides",
        "Planned absence",
        "Canceled by client",
        "Canceled by practice",
    ]
    assert _options(page, f"r{members_request.pk}-status") == [
        "As the allowance decides",
        "Planned absence",
        "Canceled by client",
        "Absent",
    ]


def test_it_says_what_save_anyway_records(
    signed_in, front_desk, alices_request, individual_case, clinician
):
    use_up(individual_case, clinician, 6)
    field = f"r{alices_request.pk}"

    response = signed_in(front_desk).post(
        reverse("staff:request_accept", args=[alices_request.pk]),
        {f"{field}-status": "planned_absence"},
    )

    page = response.content.decode()
    assert "Save anyway records Planned absence, no fee." in page


def test_it_shows_the_reason_when_accepting_a_request_already_decided(
    signed_in, front_desk, alices_request, session
):
    browser = signed_in(front_desk)
    url = reverse("staff:request_accept", args=[alices_request.pk])
    browser.post(url)

    response = browser.post(
        url, {f"r{alices_request.pk}-status": "canceled_by_practice"}, follow=True
    )

    page = response.content.decode()
    assert response.redirect_chain[-1] == (reverse("staff:requests"), 302)
    assert '<li class="error">This request was already accepted.</li>' in page
    session.refresh_from_db()
    assert session.status == "planned_absence"


def test_it_names_the_date_and_zone_the_same_way_everywhere(
    signed_in, front_desk, manual, alice, individual_case, clinician
):
    new_year = testing.build_appointment(
        individual_case, datetime(2027, 1, 1, 18, 0, tzinfo=UTC), clinician=clinician
    )
    outcome = services.request_cancellation(alice.portal_user, new_year.pk, now=NOW)
    browser = signed_in(front_desk)

    queue = browser.get(reverse("staff:requests"))
    declined = browser.post(
        reverse("staff:request_decline", args=[outcome.request.pk]), follow=True
    )

    assert "Alice · Fri 1 Jan 2027, 13:00 EST" in queue.content.decode()
    assert (
        "Declined Alice Individual&#x27;s request for Alice on "
        "Fri 1 Jan 2027, 13:00 EST." in declined.content.decode()
    )


def test_it_leaves_out_the_current_year(signed_in, front_desk, alices_request):
    response = signed_in(front_desk).post(
        reverse("staff:request_decline", args=[alices_request.pk]), follow=True
    )

    assert "for Alice on Wed 10 Jun, 10:00 EDT." in response.content.decode()


def test_it_shows_an_error_next_to_a_too_long_message(
    signed_in, front_desk, alices_request
):
    response = signed_in(front_desk).post(
        reverse("staff:request_decline", args=[alices_request.pk]),
        {f"r{alices_request.pk}-message": "x" * 2001},
    )

    assert response.status_code == 200
    assert "at most 2000 characters" in response.content.decode()
    alices_request.refresh_from_db()
    assert alices_request.state == "pending"


def test_it_dates_each_request_in_the_staff_format(
    signed_in, front_desk, alices_request, members_request
):
    """One staff format for a recorded moment: day, date, year, time, zone."""
    response = signed_in(front_desk).get(reverse("staff:requests"))

    page = response.content.decode()
    assert "on Wed 3 Jun 2026, 12:00 EDT" in page
    assert "on Wed 3 Jun 2026, 11:00 EDT" in page
