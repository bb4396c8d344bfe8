"""The cancellations report: by month, clinician and status; reschedules apart."""

from datetime import UTC, date, datetime

from appointments.models import ChangeKind, Channel, StatusChange
from practicerunner import testing
from reports.cancellations import cancellation_report


def build(case, when, clinician, status):
    return testing.build_appointment(case, when, clinician=clinician, status=status)


def test_it_counts_by_month_clinician_and_status(practice, individual_case, clinician):
    cora = testing.build_staff(practice, name="Cora Colleague", email="cora@ex.test")
    march = datetime(2026, 3, 10, 15, tzinfo=UTC)
    build(individual_case, march, clinician, "planned_absence")
    build(individual_case, march, clinician, "canceled_by_client")
    build(individual_case, march, cora, "no_show")
    build(individual_case, march, clinician, "attended")
    # 22:00 on 31 March in New York.
    build(
        individual_case,
        datetime(2026, 4, 1, 2, tzinfo=UTC),
        clinician,
        "canceled_by_practice",
    )
    build(
        individual_case,
        datetime(2026, 4, 8, 15, tzinfo=UTC),
        clinician,
        "canceled_by_practice",
    )
    moved = build(
        individual_case, datetime(2026, 3, 20, 15, tzinfo=UTC), clinician, "scheduled"
    )
    StatusChange.objects.create(
        practice=practice,
        appointment=moved,
        kind=ChangeKind.RESCHEDULE,
        changed_at=datetime(2026, 3, 1, tzinfo=UTC),
        channel=Channel.STAFF,
        from_status="scheduled",
        to_status="scheduled",
        from_start=datetime(2026, 3, 13, 15, tzinfo=UTC),
        to_start=moved.start,
    )

    report = cancellation_report(practice, 2026)

    assert report.rows() == [
        (date(2026, 3, 1), "Carl Clinician", [1, 1, 1, 0], 1),
        (date(2026, 3, 1), "Cora Colleague", [0, 0, 0, 1], 0),
        (date(2026, 4, 1), "Carl Clinician", [0, 0, 1, 0], 0),
    ]
    assert report.totals() == {
        "planned_absence": 1,
        "canceled_by_client": 1,
        "canceled_by_practice": 2,
        "no_show": 1,
    }
    assert report.reschedule_total == 1


def test_it_counts_group_members_absences(group_case, group_members, clinician):
    session = build(
        group_case, datetime(2026, 5, 7, 15, tzinfo=UTC), clinician, "attended"
    )
    statuses = ["planned_absence", "absent", "canceled_by_client"]
    for member, status in zip(group_members, statuses, strict=True):
        session.participants.filter(client=member).update(status=status)

    report = cancellation_report(group_case.practice, 2026)

    assert report.rows() == [(date(2026, 5, 1), "Carl Clinician", [1, 1, 0, 1], 0)]
