from datetime import UTC, datetime

import pytest
from django.urls import reverse

from appointments import services
from appointments.models import Appointment, ChangeKind, Channel, StatusChange
from practicerunner import testing

from .conftest import NOW, use_up

pytestmark = pytest.mark.usefixtures("frozen")


def _status_url(appointment):
    return reverse("staff:appointment_status", args=[appointment.pk])


def test_it_shows_the_session_in_the_practice_zone(signed_in, clinician, session):
    response = signed_in(clinician).get(reverse("staff:appointment", args=[session.pk]))

    page = response.content.decode()
    assert "Wednesday 10 June 2026, 10:00–10:50 EDT (America/New_York)" in page
    assert "120.00 USD" in page


def test_it_sets_a_status_with_a_confirmation(signed_in, clinician, session):
    response = signed_in(clinician).post(
        _status_url(session), {"status": "canceled_by_practice"}, follow=True
    )

    session.refresh_from_db()
    assert session.status == "canceled_by_practice"
    assert "Status set to Canceled by practice." in response.content.decode()


def test_it_warns_past_the_allowance_and_writes_nothing(
    signed_in, clinician, session, individual_case
):
    use_up(individual_case, clinician, 6)

    response = signed_in(clinician).post(
        _status_url(session), {"status": "planned_absence"}
    )

    page = response.content.decode()
    assert "Alice: 6 of 6 planned absences in 2026 already used." in page
    assert "Save anyway" in page
    assert Appointment.objects.get(pk=session.pk).status == "scheduled"


def test_it_records_an_acknowledged_warning(
    signed_in, clinician, session, individual_case
):
    use_up(individual_case, clinician, 6)

    signed_in(clinician).post(
        _status_url(session), {"status": "planned_absence", "acknowledged": "on"}
    )

    record = StatusChange.objects.get(appointment=session)
    assert (record.to_status, record.used, record.allowance) == (
        "planned_absence",
        6,
        6,
    )
    assert record.warning_shown and record.warning_acknowledged


def test_it_lists_the_history(signed_in, clinician, owner, session):
    # Attended waits for the start now; a cancellation can be recorded ahead.
    signed_in(clinician).post(_status_url(session), {"status": "canceled_by_practice"})

    response = signed_in(owner).get(reverse("staff:appointment", args=[session.pk]))

    page = response.content.decode()
    assert "Carl Clinician" in page
    assert "Staff page" in page
    assert "0 of 6 used in 2026" in page


def test_it_keeps_a_biller_read_only(signed_in, biller, session):
    browser = signed_in(biller)

    page = browser.get(reverse("staff:appointment", args=[session.pk]))
    post = browser.post(_status_url(session), {"status": "attended"})

    assert "Save status" not in page.content.decode()
    assert post.status_code == 403


def test_it_refuses_a_whole_group_planned_absence_next_to_the_field(
    signed_in, clinician, group_session
):
    response = signed_in(clinician).post(
        _status_url(group_session), {"status": "planned_absence"}
    )

    assert response.status_code == 200  # re-rendered with the error
    assert "record each member&#x27;s absence" in response.content.decode()
    assert Appointment.objects.get(pk=group_session.pk).status == "scheduled"


def test_it_warns_for_a_group_member_past_their_allowance(
    signed_in, clinician, group_case, group_session
):
    for earlier in use_up(group_case, clinician, 6):
        earlier.participants.filter(client__name="Member 1").update(
            status="planned_absence"
        )
    member = group_session.participants.get(client__name="Member 1")
    url = reverse("staff:participant_status", args=[group_session.pk, member.pk])
    field = f"p{member.pk}-status"
    browser = signed_in(clinician)

    warned = browser.post(url, {field: "planned_absence"})
    saved = browser.post(
        url, {field: "planned_absence", f"p{member.pk}-acknowledged": "on"}
    )

    expected = (
        "Member 1 in Thursday group: 6 of 6 planned absences in 2026 already used."
    )
    assert expected in warned.content.decode()
    assert saved.status_code == 302
    assert StatusChange.objects.get(participant=member).warning_acknowledged


def test_it_previews_a_portal_cancellation(signed_in, front_desk, session):
    response = signed_in(front_desk).get(
        reverse("staff:appointment", args=[session.pk])
    )

    page = response.content.decode()
    assert "What would a portal cancellation do?" in page
    assert (
        "Planned absence · would use 1 of 6 planned absences in 2026; "
        "5 will remain · no fee · accepted at once." in page
    )
    assert Appointment.objects.get(pk=session.pk).status == "scheduled"


def test_it_previews_each_group_members_absence(signed_in, front_desk, group_session):
    response = signed_in(front_desk).get(
        reverse("staff:appointment", args=[group_session.pk])
    )

    page = response.content.decode()
    for name in ("Member 1", "Member 2", "Member 3"):
        assert f"<strong>{name}:</strong>" in page


def test_it_shows_no_preview_on_a_past_session(
    signed_in, front_desk, individual_case, clinician
):
    past = testing.build_appointment(
        individual_case, datetime(2026, 5, 1, 14, 0, tzinfo=UTC), clinician=clinician
    )

    response = signed_in(front_desk).get(reverse("staff:appointment", args=[past.pk]))

    assert "What would a portal cancellation do?" not in response.content.decode()


@pytest.mark.parametrize("changes", [1, 8])
def test_it_issues_the_same_queries_however_busy_the_case(
    signed_in, clinician, individual_case, session, changes, django_assert_num_queries
):
    use_up(individual_case, clinician, changes)
    browser = signed_in(clinician)
    for _ in range(changes):
        browser.post(_status_url(session), {"status": "attended"})
        browser.post(_status_url(session), {"status": "scheduled"})

    with django_assert_num_queries(12):
        browser.get(reverse("staff:appointment", args=[session.pk]))


@pytest.mark.parametrize(
    ("used", "override", "expected"),
    [
        (
            5,
            None,
            "Planned absence · would use 1 of 6 planned absences in 2026; "
            "0 will remain · no fee",
        ),
        (6, None, "Canceled by client · 6 of 6 already used in 2026 · "),
        (7, None, "Canceled by client · 7 used of 6 in 2026 · "),
        (0, 0, "Canceled by client · no planned absences allowed in 2026 · "),
    ],
)
def test_it_previews_in_the_portals_terms(
    signed_in, front_desk, session, individual_case, clinician, used, override, expected
):
    individual_case.allowance_override = override
    individual_case.save()
    use_up(individual_case, clinician, used)

    response = signed_in(front_desk).get(
        reverse("staff:appointment", args=[session.pk])
    )

    assert expected in response.content.decode()


def test_it_previews_the_fee_kept_and_the_queue(
    signed_in, front_desk, session, individual_case, clinician, practice
):
    from practices.models import BillingSettings, PortalSettings

    PortalSettings.objects.filter(practice=practice).update(accept_automatically=False)
    BillingSettings.objects.filter(practice=practice).update(
        canceled_by_client_keeps_fee=True
    )
    use_up(individual_case, clinician, 6)

    response = signed_in(front_desk).get(
        reverse("staff:appointment", args=[session.pk])
    )

    assert (
        "Canceled by client · 6 of 6 already used in 2026 · fee kept 120.00 USD · "
        "waits in the request queue." in response.content.decode()
    )


def test_it_says_a_member_who_sent_a_notice_is_already_recorded(
    signed_in, front_desk, group_members, group_session
):
    """The refusal is about the member; the session itself goes ahead."""
    first = group_members[0]
    services.report_absence(first.portal_user, group_session.pk, now=NOW)

    response = signed_in(front_desk).get(
        reverse("staff:appointment", args=[group_session.pk])
    )

    page = response.content.decode()
    assert "Already recorded for Member 1: Planned absence." in page
    assert "no longer scheduled" not in page
    assert "Planned absence · would use 1 of 6 planned absences in 2026" in page


def test_it_keeps_the_refusal_for_a_session_no_longer_scheduled(
    signed_in, front_desk, individual_case, clinician
):
    canceled = testing.build_appointment(
        individual_case,
        datetime(2026, 6, 10, 14, 0, tzinfo=UTC),
        clinician=clinician,
        status="canceled_by_practice",
    )

    response = signed_in(front_desk).get(
        reverse("staff:appointment", args=[canceled.pk])
    )

    page = response.content.decode()
    assert "The portal would refuse: This session is no longer scheduled." in page


def test_it_names_both_zones_across_the_autumn_clock_change(
    signed_in, clinician, individual_case
):
    """The first 01:30 on 1 November 2026 is EDT; 50 minutes on, 01:20 EST."""
    night = testing.build_appointment(
        individual_case, datetime(2026, 11, 1, 5, 30, tzinfo=UTC), clinician=clinician
    )

    response = signed_in(clinician).get(reverse("staff:appointment", args=[night.pk]))

    assert (
        "Sunday 1 November 2026, 01:30 EDT–01:20 EST (America/New_York)"
        in response.content.decode()
    )


def test_it_names_the_day_a_long_session_ends(signed_in, clinician, individual_case):
    late = testing.build_appointment(
        individual_case,
        datetime(2026, 6, 11, 3, 50, tzinfo=UTC),
        clinician=clinician,
        minutes=600,
    )

    response = signed_in(clinician).get(reverse("staff:appointment", args=[late.pk]))

    assert "Wednesday 10 June 2026, 23:50–Thu 09:50 EDT" in response.content.decode()


def test_it_shows_a_move_in_the_history(signed_in, clinician, practice, session, alice):
    StatusChange.objects.create(
        practice=practice,
        appointment=session,
        kind=ChangeKind.RESCHEDULE,
        changed_by=alice.portal_user,
        changed_at=datetime(2026, 6, 2, 15, 0, tzinfo=UTC),
        channel=Channel.PORTAL,
        from_status="scheduled",
        to_status="scheduled",
        from_start=datetime(2026, 12, 14, 14, 0, tzinfo=UTC),
        to_start=datetime(2026, 12, 8, 15, 0, tzinfo=UTC),
    )

    response = signed_in(clinician).get(reverse("staff:appointment", args=[session.pk]))

    page = response.content.decode()
    assert "Moved from Mon 14 Dec 2026, 09:00 EST to Tue 8 Dec 2026, 10:00 EST" in page
    assert "Scheduled</td>" not in page


def test_it_dates_the_history_in_the_staff_format(signed_in, clinician, session):
    signed_in(clinician).post(_status_url(session), {"status": "canceled_by_practice"})

    response = signed_in(clinician).get(reverse("staff:appointment", args=[session.pk]))

    assert "Wed 3 Jun 2026, 12:00 EDT" in response.content.decode()


@pytest.mark.parametrize(
    ("used", "allowance", "expected", "absent"),
    [
        (5, 2, "5 used of 2 in 2026", "5 of 2 used"),
        (2, 2, "2 of 2 used in 2026", "2 used of 2"),
    ],
)
def test_it_shows_history_figures_as_the_case_page_does(
    signed_in, clinician, practice, session, used, allowance, expected, absent
):
    StatusChange.objects.create(
        practice=practice,
        appointment=session,
        changed_at=datetime(2026, 6, 2, 15, 0, tzinfo=UTC),
        channel=Channel.STAFF,
        from_status="scheduled",
        to_status="planned_absence",
        year=2026,
        used=used,
        allowance=allowance,
        warning_shown=True,
        warning_acknowledged=True,
    )

    response = signed_in(clinician).get(reverse("staff:appointment", args=[session.pk]))

    page = response.content.decode()
    assert expected in page
    assert absent not in page
