import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from appointments.models import Appointment
from practicerunner import testing

from .conftest import use_up

pytestmark = pytest.mark.usefixtures("frozen")


def test_it_redirects_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("staff:schedule"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("staff:login"))


def test_it_lists_today_in_the_practice_zone(
    signed_in, owner, individual_case, clinician
):
    testing.build_appointment(
        individual_case, datetime(2026, 6, 3, 13, 30, tzinfo=UTC), clinician=clinician
    )

    response = signed_in(owner).get(reverse("staff:schedule"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "09:30–10:20 EDT" in page
    assert "Times in America/New_York" in page
    assert "Alice Individual" in page


def test_it_shows_a_clinician_their_own_schedule_first(
    signed_in, clinician, owner, individual_case, practice
):
    colleague = testing.build_staff(
        practice, name="Cora Colleague", email="cora@example.test"
    )
    testing.build_appointment(
        individual_case, datetime(2026, 6, 3, 13, 0, tzinfo=UTC), clinician=colleague
    )

    own = signed_in(clinician).get(reverse("staff:schedule"))
    everyone = signed_in(clinician).get(reverse("staff:schedule") + "?clinician=all")

    assert "No appointments." in own.content.decode()
    assert "Cora Colleague" in everyone.content.decode()


def test_it_marks_cases_that_used_their_allowance(
    signed_in, owner, individual_case, clinician
):
    use_up(individual_case, clinician, 6)
    testing.build_appointment(
        individual_case, datetime(2026, 6, 3, 14, 0, tzinfo=UTC), clinician=clinician
    )

    response = signed_in(owner).get(reverse("staff:schedule"))

    assert "Allowance 2026 used (6 of 6)" in response.content.decode()


def test_it_marks_group_members_who_used_their_allowance(
    signed_in, owner, group_case, clinician
):
    sessions = use_up(group_case, clinician, 6)
    for session in sessions:
        session.participants.filter(client__name="Member 2").update(
            status="planned_absence"
        )
    testing.build_appointment(
        group_case, datetime(2026, 6, 3, 14, 0, tzinfo=UTC), clinician=clinician
    )

    response = signed_in(owner).get(reverse("staff:schedule"))

    assert "Allowance 2026 used: Member 2" in response.content.decode()


def _fill_week(individual_case, group_case, clinician, count):
    monday = datetime(2026, 6, 1, 13, 0, tzinfo=UTC)
    for n in range(count):
        case = group_case if n % 2 else individual_case
        testing.build_appointment(
            case, monday + timedelta(days=n % 5, hours=n), clinician=clinician
        )


@pytest.mark.parametrize("count", [2, 12])
def test_it_issues_the_same_queries_for_a_busy_week(
    signed_in,
    owner,
    individual_case,
    group_case,
    clinician,
    count,
    django_assert_num_queries,
):
    _fill_week(individual_case, group_case, clinician, count)
    browser = signed_in(owner)
    url = reverse("staff:schedule") + "?view=week&date=2026-06-03&clinician=all"

    with django_assert_num_queries(9):
        response = browser.get(url)

    assert response.content.decode().count('name="appointment"') == count


def test_it_creates_a_weekly_series(signed_in, front_desk, individual_case, clinician):
    response = signed_in(front_desk).post(
        reverse("staff:appointment_create"),
        {
            "case": individual_case.pk,
            "clinician": clinician.pk,
            "date": "2026-06-08",
            "time": "09:00",
            "minutes": 50,
            "weeks": 4,
        },
        follow=True,
    )

    starts = list(Appointment.objects.values_list("start", flat=True))
    assert len(starts) == 4
    assert starts[0] == datetime(2026, 6, 8, 13, 0, tzinfo=UTC)
    assert "Created 4 weekly appointments for Alice." in response.content.decode()


def test_it_refuses_appointment_creation_to_a_biller(signed_in, biller):
    response = signed_in(biller).get(reverse("staff:appointment_create"))

    assert response.status_code == 403


def test_it_shows_an_error_next_to_a_missing_field(signed_in, owner, individual_case):
    response = signed_in(owner).post(
        reverse("staff:appointment_create"), {"case": individual_case.pk}
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_it_falls_back_to_today_for_an_impossible_date(signed_in, owner):
    response = signed_in(owner).get(reverse("staff:schedule") + "?date=2026-02-30")

    assert "Wednesday 3 June 2026" in response.content.decode()


@pytest.mark.parametrize("query", ["?date=garbage", "?date=2026-02-30"])
def test_it_shows_today_with_a_message_for_something_not_a_date(
    signed_in, owner, query
):
    response = signed_in(owner).get(reverse("staff:schedule") + query)

    page = response.content.decode()
    assert "That is not a date. Showing today." in page
    assert "Wednesday 3 June 2026" in page


@pytest.mark.parametrize(
    "query",
    [
        "?date=0001-01-01",
        "?date=9999-12-31",
        "?date=9999-12-25&view=week",
        "?date=1999-12-31&view=week",
    ],
)
def test_it_shows_today_with_a_message_for_a_date_out_of_range(signed_in, owner, query):
    response = signed_in(owner).get(reverse("staff:schedule") + query)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose a date between 2000 and 2097. Showing today." in page
    assert "Wednesday 3 June 2026" in page or "Week of Mon 1 Jun 2026" in page


@pytest.mark.parametrize(
    ("query", "missing", "kept"),
    [
        ("?date=2097-12-31", 'aria-label="Next"', 'aria-label="Previous"'),
        ("?date=2097-12-30&view=week", 'aria-label="Next"', 'aria-label="Previous"'),
        ("?date=2000-01-01", 'aria-label="Previous"', 'aria-label="Next"'),
    ],
)
def test_it_stops_paging_at_the_ends_of_the_range(
    signed_in, owner, query, missing, kept
):
    response = signed_in(owner).get(reverse("staff:schedule") + query)

    page = response.content.decode()
    assert response.status_code == 200
    assert missing not in page
    assert kept in page


def test_it_marks_a_case_past_its_allowance_like_the_case_page(
    signed_in, owner, individual_case, clinician
):
    use_up(individual_case, clinician, 7)
    testing.build_appointment(
        individual_case, datetime(2026, 6, 3, 14, 0, tzinfo=UTC), clinician=clinician
    )

    response = signed_in(owner).get(reverse("staff:schedule"))

    assert "Allowance 2026 used (7 used of 6)" in response.content.decode()


def test_it_names_the_year_of_days_in_another_year(signed_in, owner):
    response = signed_in(owner).get(
        reverse("staff:schedule") + "?view=week&date=2026-12-31"
    )

    page = response.content.decode()
    assert "<h2>Thursday 31 Dec</h2>" in page
    assert "<h2>Friday 1 Jan 2027</h2>" in page


NEW = {"minutes": 50, "weeks": 1, "time": "09:00"}


def _create(browser, case, clinician, **fields):
    return browser.post(
        reverse("staff:appointment_create"),
        NEW | {"case": case.pk, "clinician": clinician.pk} | fields,
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"date": "0001-01-01"},
        {"date": "1999-12-31"},
        {"date": "2098-01-01"},
        {"date": "9999-12-31", "weeks": 104},
    ],
)
def test_it_refuses_a_date_out_of_range_next_to_the_field(
    signed_in, front_desk, individual_case, clinician, fields
):
    response = _create(signed_in(front_desk), individual_case, clinician, **fields)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose a date between 2000 and 2097." in page
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    ("date", "weeks", "named"),
    [
        ("2026-03-08", 1, "02:30 does not exist on 8 March 2026"),
        ("2026-03-01", 2, "02:30 does not exist on 8 March 2026"),
    ],
)
def test_it_refuses_a_time_the_clocks_skip_next_to_the_time(
    signed_in, front_desk, individual_case, clinician, date, weeks, named
):
    response = _create(
        signed_in(front_desk),
        individual_case,
        clinician,
        date=date,
        time="02:30",
        weeks=weeks,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert named in page
    assert "in America/New_York: the clocks go forward that night." in page
    # The message sits in the time field's block, not above the form.
    time_field = page[page.index('for="id_time"') : page.index('for="id_minutes"')]
    assert named in time_field
    assert not Appointment.objects.exists()


def test_it_asks_before_creating_an_overlapping_session(
    signed_in, front_desk, individual_case, couple_case, clinician
):
    testing.build_appointment(
        couple_case, datetime(2026, 6, 8, 13, 30, tzinfo=UTC), clinician=clinician
    )
    browser = signed_in(front_desk)

    warned = _create(browser, individual_case, clinician, date="2026-06-08")

    page = warned.content.decode()
    assert warned.status_code == 200
    assert "Carl Clinician already has a session at Mon 8 Jun 2026, 09:30 EDT" in page
    assert "Create anyway" in page
    assert 'name="allow_overlap" value="on"' in page
    assert Appointment.objects.count() == 1


def test_it_creates_anyway_from_the_warning(
    signed_in, front_desk, individual_case, couple_case, clinician
):
    existing = testing.build_appointment(
        couple_case, datetime(2026, 6, 15, 13, 30, tzinfo=UTC), clinician=clinician
    )
    browser = signed_in(front_desk)
    warned = _create(browser, individual_case, clinician, date="2026-06-08", weeks=2)
    page = warned.content.decode()
    box = page[page.index('class="alert warning"') :]
    box = box[: box.index("</form>")]

    posted = dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', box)
    )
    created = browser.post(reverse("staff:appointment_create"), posted, follow=True)

    assert posted["allow_overlap"] == "on"
    assert "Created 2 weekly appointments for Alice." in created.content.decode()
    starts = Appointment.objects.exclude(pk=existing.pk).values_list("start", flat=True)
    assert sorted(starts) == [
        datetime(2026, 6, 8, 13, 0, tzinfo=UTC),
        datetime(2026, 6, 15, 13, 0, tzinfo=UTC),
    ]
    assert Appointment.objects.count() == 3


def test_it_creates_an_overlapping_session_when_asked_to(
    signed_in, front_desk, individual_case, couple_case, clinician
):
    existing = testing.build_appointment(
        couple_case, datetime(2026, 6, 8, 13, 30, tzinfo=UTC), clinician=clinician
    )

    response = _create(
        signed_in(front_desk),
        individual_case,
        clinician,
        date="2026-06-08",
        allow_overlap="on",
    )

    assert response.status_code == 302
    created = Appointment.objects.exclude(pk=existing.pk).get()
    assert created.start == datetime(2026, 6, 8, 13, 0, tzinfo=UTC)
    assert Appointment.objects.count() == 2


def test_it_names_both_zones_across_the_autumn_clock_change(
    signed_in, clinician, individual_case
):
    """The first 01:30 on 1 November is EDT and ends at 01:20 EST."""
    testing.build_appointment(
        individual_case, datetime(2026, 11, 1, 5, 30, tzinfo=UTC), clinician=clinician
    )

    response = signed_in(clinician).get(reverse("staff:schedule") + "?date=2026-11-01")

    page = response.content.decode()
    assert "01:30 EDT–01:20 EST" in page
    assert "01:30–01:20" not in page


def test_it_names_the_day_a_long_session_ends(signed_in, clinician, individual_case):
    testing.build_appointment(
        individual_case,
        datetime(2026, 6, 4, 3, 50, tzinfo=UTC),
        clinician=clinician,
        minutes=600,
    )

    response = signed_in(clinician).get(reverse("staff:schedule") + "?date=2026-06-03")

    assert "23:50–Thu 09:50 EDT" in response.content.decode()


def test_it_marks_a_case_without_planned_absences_clearly(
    signed_in, owner, individual_case, clinician
):
    individual_case.allowance_override = 0
    individual_case.save()
    testing.build_appointment(
        individual_case, datetime(2026, 6, 3, 14, 0, tzinfo=UTC), clinician=clinician
    )

    response = signed_in(owner).get(reverse("staff:schedule"))

    page = response.content.decode()
    assert "No planned absences (allowance 0)" in page
    assert "(0 of 0)" not in page


def test_it_marks_a_group_without_planned_absences_once(
    signed_in, owner, group_case, clinician
):
    group_case.allowance_override = 0
    group_case.save()
    testing.build_appointment(
        group_case, datetime(2026, 6, 3, 14, 0, tzinfo=UTC), clinician=clinician
    )

    response = signed_in(owner).get(reverse("staff:schedule"))

    page = response.content.decode()
    assert "No planned absences (allowance 0)" in page
    assert "Allowance 2026 used: Member 1" not in page


@pytest.mark.parametrize("choice", ["999", "other practice"])
def test_it_shows_the_whole_practice_for_an_unknown_clinician(
    signed_in, clinician, practice, individual_case, outsider, other_practice, choice
):
    """A stale or foreign id is bad input, not a missing page."""
    colleague = testing.build_staff(
        practice, name="Cora Colleague", email="cora@example.test"
    )
    testing.build_appointment(
        individual_case, datetime(2026, 6, 3, 14, 0, tzinfo=UTC), clinician=colleague
    )
    theirs = testing.build_case(other_practice, title="Elsewhere case")
    testing.build_appointment(
        theirs, datetime(2026, 6, 3, 14, 0, tzinfo=UTC), clinician=outsider
    )
    pk = outsider.pk if choice == "other practice" else 999

    response = signed_in(clinician).get(reverse("staff:schedule") + f"?clinician={pk}")

    page = response.content.decode()
    assert response.status_code == 200
    assert "That clinician is not in your practice." in page
    assert "whole practice" in page
    assert "Cora Colleague" in page
    assert "Elsewhere case" not in page
    assert "Otto Out" not in page
