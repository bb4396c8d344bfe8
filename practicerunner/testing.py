"""Builders for tests: practices, people, cases and appointments.

Kept out of conftest.py so every app's tests, and the browser tests'
server set-up, can build the same named people.
"""

from datetime import date, timedelta
from decimal import Decimal

from appointments.models import Appointment, Participant
from clients.models import Case, CaseKind, Client, Membership
from practices.models import StaffRole
from practices.services import add_staff_member, create_practice

PASSWORD = "correct-horse-battery-staple"


def build_practice(slug="harbour", time_zone="America/New_York", **portal_options):
    options = {"use_allowance": True, "accept_automatically": True} | portal_options
    return create_practice(
        name=slug.title() + " Therapy",
        slug=slug,
        time_zone=time_zone,
        **options,
    )


def build_staff(practice, role=StaffRole.CLINICIAN, name=None, email=None):
    name = name or f"{role.label} {practice.slug}"
    email = email or f"{role}.{practice.slug}@example.test"
    return add_staff_member(
        practice, email=email, name=name, role=role, password=PASSWORD
    )


def build_client(practice, name, *, portal=False, email=None):
    from django.contrib.auth import get_user_model

    email = email or f"{name.lower().replace(' ', '.')}.{practice.slug}@example.test"
    client = Client.objects.create(practice=practice, name=name, email=email)
    if portal:
        client.portal_user = get_user_model().objects.create_user(
            username=email, email=email, password=PASSWORD
        )
        client.save(update_fields=["portal_user"])
    return client


def build_case(
    practice,
    kind=CaseKind.INDIVIDUAL,
    members=(),
    *,
    title=None,
    override=None,
    clinicians=(),
    fee=Decimal("120.00"),
):
    case = Case.objects.create(
        practice=practice,
        kind=kind,
        title=title or f"{kind.label} case",
        allowance_override=override,
        session_fee=fee,
    )
    for client in members:
        Membership.objects.create(
            practice=practice, case=case, client=client, joined_on=date(2020, 1, 1)
        )
    case.clinicians.set(clinicians)
    return case


def build_appointment(case, start, *, clinician, status="scheduled", minutes=50):
    appointment = Appointment.objects.create(
        practice=case.practice,
        case=case,
        clinician=clinician,
        start=start,
        end=start + timedelta(minutes=minutes),
        fee=case.session_fee,
        status=status,
    )
    if case.is_participant_level:
        Participant.objects.bulk_create(
            Participant(
                practice=case.practice,
                appointment=appointment,
                membership=membership,
                client_id=membership.client_id,
            )
            for membership in case.memberships.all()
        )
    return appointment
