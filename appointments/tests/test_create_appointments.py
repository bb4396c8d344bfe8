"""Creating appointments and weekly series."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from appointments import services
from appointments.models import Appointment, Participant
from practicerunner import testing

NEW_YORK = ZoneInfo("America/New_York")
HOUR = timedelta(minutes=50)


def create(staff, case, clinician, start, **options):
    return services.create_appointments(
        staff.user,
        case=case,
        clinician=clinician,
        start=start,
        duration=HOUR,
        now=datetime(2026, 1, 5, tzinfo=UTC),
        **options,
    )


def test_it_refuses_a_time_skipped_by_daylight_saving(
    front_desk, individual_case, clinician
):
    skipped = datetime(2026, 3, 8, 2, 30, tzinfo=NEW_YORK)

    with pytest.raises(services.ServiceError, match="does not exist on 08 March 2026"):
        create(front_desk, individual_case, clinician, skipped)

    assert not Appointment.objects.exists()


def test_it_refuses_a_series_that_runs_into_a_skipped_time(
    front_desk, individual_case, clinician
):
    start = datetime(2027, 2, 28, 2, 30, tzinfo=NEW_YORK)

    with pytest.raises(services.ServiceError, match="14 March 2027"):
        create(front_desk, individual_case, clinician, start, weeks=3)

    assert not Appointment.objects.exists()


@pytest.mark.parametrize("year", [1, 1999, 2098, 9999])
def test_it_refuses_far_dates(front_desk, individual_case, clinician, year):
    start = datetime(year, 12, 31, 10, tzinfo=NEW_YORK)

    with pytest.raises(services.ServiceError, match="between 2000 and 2097"):
        create(front_desk, individual_case, clinician, start, weeks=104)


def test_it_refuses_an_overlap_unless_allowed(
    practice, front_desk, individual_case, clinician
):
    other = testing.build_case(practice, members=[], title="Other case")
    start = datetime(2026, 12, 21, 16, tzinfo=NEW_YORK)
    create(front_desk, other, clinician, start)

    with pytest.raises(
        services.Overlap, match="Mon 21 Dec 2026, 16:00 EST .Other case."
    ):
        create(front_desk, individual_case, clinician, start + timedelta(minutes=30))
    create(
        front_desk,
        individual_case,
        clinician,
        start + timedelta(minutes=30),
        allow_overlap=True,
    )

    assert Appointment.objects.count() == 2


def test_it_books_over_a_cancelled_session(
    practice, front_desk, individual_case, clinician
):
    start = datetime(2026, 12, 21, 16, tzinfo=NEW_YORK)
    testing.build_appointment(
        individual_case, start, clinician=clinician, status="canceled_by_client"
    )

    created = create(front_desk, individual_case, clinician, start)

    assert len(created) == 1


def test_it_adds_current_group_members_as_participants(
    front_desk, group_case, group_members, clinician
):
    group_case.memberships.filter(client=group_members[2]).update(
        left_on=datetime(2026, 1, 1).date()
    )

    (session,) = create(
        front_desk, group_case, clinician, datetime(2026, 12, 3, 18, tzinfo=NEW_YORK)
    )

    assert set(
        Participant.objects.filter(appointment=session).values_list("client", flat=True)
    ) == {group_members[0].pk, group_members[1].pk}


def test_it_refuses_a_biller(biller, individual_case, clinician):
    with pytest.raises(services.NotAllowed):
        create(biller, individual_case, clinician, datetime(2026, 5, 4, tzinfo=UTC))


def test_it_refuses_another_practices_case(outsider, individual_case):
    with pytest.raises(services.NotFound):
        create(outsider, individual_case, outsider, datetime(2026, 5, 4, tzinfo=UTC))


def test_it_refuses_a_series_that_ends_after_2097(
    front_desk, individual_case, clinician
):
    start = datetime(2097, 12, 20, 10, tzinfo=NEW_YORK)

    with pytest.raises(services.ServiceError, match="would end on 03 January 2098"):
        create(front_desk, individual_case, clinician, start, weeks=3)

    assert not Appointment.objects.exists()
