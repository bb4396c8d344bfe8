"""The database and model checks refuse bad rows with a clear error."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from appointments.models import Appointment, StatusChange
from clients.models import Case, Membership
from practicerunner import testing
from practices.models import PortalSettings


def test_it_refuses_an_override_outside_0_to_52(individual_case):
    individual_case.allowance_override = 53

    with pytest.raises(ValidationError, match="less than or equal to 52"):
        individual_case.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        individual_case.save()


def test_it_keeps_an_override_of_zero(individual_case):
    individual_case.allowance_override = 0
    individual_case.full_clean()
    individual_case.save()

    assert Case.objects.get(pk=individual_case.pk).allowance_override == 0


def test_it_refuses_a_default_allowance_outside_0_to_52(practice):
    settings = PortalSettings.objects.get(practice=practice)
    settings.default_allowance = 60

    with pytest.raises(IntegrityError), transaction.atomic():
        settings.save()


def test_it_refuses_an_end_before_the_start(individual_case, clinician, now):
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            practice=individual_case.practice,
            case=individual_case,
            clinician=clinician,
            start=now,
            end=now - timedelta(minutes=1),
        )


def test_it_refuses_a_membership_in_another_practices_case(
    individual_case, other_practice
):
    stranger = testing.build_client(other_practice, "Sam Elsewhere")

    with pytest.raises(ValidationError, match="belongs to another practice"):
        Membership.objects.create(
            practice=other_practice,
            case=individual_case,
            client=stranger,
            joined_on=date(2026, 1, 1),
        )
    assert not Membership.objects.filter(client=stranger).exists()


def test_it_refuses_an_appointment_with_another_practices_clinician(
    individual_case, outsider, now
):
    with pytest.raises(ValidationError, match="belongs to another practice"):
        Appointment.objects.create(
            practice=individual_case.practice,
            case=individual_case,
            clinician=outsider,
            start=now,
            end=now + timedelta(hours=1),
        )


def test_it_refuses_a_second_import_id_in_one_practice(individual_case, clinician, now):
    fields = {
        "practice": individual_case.practice,
        "case": individual_case,
        "clinician": clinician,
        "start": now,
        "end": now + timedelta(hours=1),
        "external_id": "A-1",
    }
    Appointment.objects.create(**fields)

    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(**fields)


@pytest.mark.django_db
def test_it_refuses_an_unknown_time_zone():
    with pytest.raises(ValidationError, match="not an IANA time zone"):
        testing.build_practice(slug="nowhere", time_zone="Mars/Olympus_Mons")


def test_it_protects_cases_with_appointments(individual_case, clinician, now):
    testing.build_appointment(individual_case, now, clinician=clinician)

    with pytest.raises(ProtectedError):
        individual_case.delete()


def test_it_keeps_status_changes_append_only(individual_case, alice, clinician, now):
    from appointments import services

    appointment = testing.build_appointment(
        individual_case, now + timedelta(days=2), clinician=clinician
    )
    services.request_cancellation(alice.portal_user, appointment.pk, now=now)
    change = StatusChange.objects.get()

    with pytest.raises(ValueError, match="append-only"):
        change.save()
    with pytest.raises(ValueError, match="append-only"):
        change.delete()
