"""The demo practice: deterministic people, cases and a year of sessions.

Everything is built through the same services the application uses, so the
demo's statuses have their history like any other change.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from appointments import services
from appointments.models import AppointmentStatus, ParticipantStatus
from clients.models import Case, CaseKind, Client, Membership
from practicerunner.lib.timezones import week_start

from .models import StaffRole, WorkingHours
from .services import add_staff_member, create_practice

DEMO_SLUG = "demo"
DEMO_PASSWORD = "practicerunner-demo"
DEMO_DOMAIN = "demo.practicerunner.test"

STAFF = [
    ("Olivia Owens", "owner", StaffRole.OWNER),
    ("Dr. Maya Chen", "maya.chen", StaffRole.CLINICIAN),
    ("Dr. Samuel Ortiz", "samuel.ortiz", StaffRole.CLINICIAN),
    ("Dr. Priya Nair", "priya.nair", StaffRole.CLINICIAN),
    ("Frank Desmond", "frontdesk", StaffRole.FRONT_DESK),
    ("Bianca Biller", "billing", StaffRole.BILLER),
]

FIRST = [
    "Ana",
    "Ben",
    "Carla",
    "Dev",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Kira",
    "Liam",
    "Mira",
    "Noah",
    "Olga",
    "Pedro",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Umar",
    "Vera",
    "Wes",
    "Xenia",
    "Yusuf",
    "Zoe",
]
LAST = [
    "Alvarez",
    "Brooks",
    "Costa",
    "Dubois",
    "Evans",
    "Fischer",
    "Garcia",
    "Hughes",
    "Ito",
    "Jensen",
    "Kowalski",
    "Lopez",
    "Moreau",
    "Novak",
]

# Past sessions' statuses, as weights: about one in five is an absence. A
# client cancellation becomes a planned absence while the allowance lasts.
CLIENT_CANCELLATION = "client cancellation"
PAST_STATUSES = [
    (AppointmentStatus.ATTENDED, 79),
    (CLIENT_CANCELLATION, 14),
    (AppointmentStatus.NO_SHOW, 4),
    (AppointmentStatus.CANCELED_BY_PRACTICE, 3),
]
PAST_MEMBER_STATUSES = [
    (ParticipantStatus.ATTENDED, 80),
    (CLIENT_CANCELLATION, 14),
    (ParticipantStatus.ABSENT, 6),
]


def demo_email(local):
    return f"{local}@{DEMO_DOMAIN}"


@transaction.atomic
def load_demo(*, now, seed=1):
    """Build the demo practice as of `now`, deterministically for `seed`."""
    rng = random.Random(seed)
    practice = create_practice(
        name="Riverside Counselling (demo)",
        slug=DEMO_SLUG,
        time_zone="America/New_York",
        use_allowance=True,
        default_allowance=6,
        accept_automatically=True,
        allow_rescheduling=True,
        minimum_notice=timedelta(hours=24),
    )
    practice.phone = "+1 555 0100"
    practice.email = demo_email("office")
    practice.save(update_fields=["phone", "email"])

    staff = {
        local: add_staff_member(
            practice,
            email=demo_email(local),
            name=name,
            role=role,
            password=DEMO_PASSWORD,
        )
        for name, local, role in STAFF
    }
    clinicians = [m for m in staff.values() if m.role == StaffRole.CLINICIAN]
    for clinician in clinicians:
        for weekday in range(5):
            WorkingHours.objects.create(
                practice=practice,
                clinician=clinician,
                weekday=weekday,
                starts_at=time(9),
                ends_at=time(17),
            )

    names = rng.sample([f"{f} {last}" for f in FIRST for last in LAST], 40)
    clients = [
        Client.objects.create(
            practice=practice,
            name=name,
            email=demo_email(name.lower().replace(" ", ".")),
            phone=f"+1 555 01{n:02d}",
        )
        for n, name in enumerate(names)
    ]
    cases = _build_cases(practice, clients, clinicians, rng)
    _link_portal(clients[0], "couple")
    _link_portal(clients[34], "group")

    monday = week_start((now - timedelta(days=182)).astimezone(practice.zone).date())
    for n, (case, clinician) in enumerate(cases):
        weekday = 3 if case.kind == CaseKind.GROUP else n % 5
        first = monday + timedelta(days=weekday)
        hour = 9 + (n % 7)
        _schedule(practice, case, clinician, first, hour, now=now)
    _record_past(practice, now=now, rng=rng)
    return practice


def _build_cases(practice, clients, clinicians, rng):
    """Return (case, clinician) pairs for the demo's caseload."""
    plan = [(CaseKind.TWO_PERSON, clients[0:2]), (CaseKind.TWO_PERSON, clients[2:4])]
    plan += [(CaseKind.TWO_PERSON, clients[4:6])]
    plan += [(CaseKind.FAMILY, clients[6:9]), (CaseKind.FAMILY, clients[9:12])]
    plan += [(CaseKind.OTHER, clients[12:15])]
    plan += [(CaseKind.INDIVIDUAL, [client]) for client in clients[15:34]]
    plan += [(CaseKind.GROUP, clients[34:40])]

    overrides = {6: 0, 7: 8, 8: 3, 9: 4}
    cases = []
    for n, (kind, members) in enumerate(plan):
        surnames = sorted({m.name.split()[-1] for m in members})
        title = {
            CaseKind.INDIVIDUAL: members[0].name,
            CaseKind.TWO_PERSON: " & ".join(m.name.split()[0] for m in members),
            CaseKind.FAMILY: f"{surnames[0]} family",
            CaseKind.OTHER: "Parents' circle",
            CaseKind.GROUP: "Thursday anxiety group",
        }[kind]
        clinician = clinicians[n % len(clinicians)]
        case = Case.objects.create(
            practice=practice,
            kind=kind,
            title=title,
            session_fee=Decimal(rng.choice(["110.00", "120.00", "140.00"])),
            allowance_override=overrides.get(n),
        )
        case.clinicians.add(clinician)
        for member in members:
            Membership.objects.create(
                practice=practice,
                case=case,
                client=member,
                joined_on=date(2024, 1, 8),
            )
        cases.append((case, clinician))
    return cases


def _link_portal(client, local):
    email = demo_email(f"client.{local}")
    client.email = email
    client.portal_user = get_user_model().objects.create_user(
        username=email, email=email, password=DEMO_PASSWORD
    )
    client.save(update_fields=["email", "portal_user"])


def _schedule(practice, case, clinician, first_day, hour, *, now):
    start = datetime.combine(first_day, time(hour), tzinfo=practice.zone)
    services.create_appointments(
        None,
        practice=practice,
        case=case,
        clinician=clinician,
        start=start,
        duration=timedelta(minutes=50),
        weeks=39,
        now=now,
    )


def _record_past(practice, *, now, rng):
    """Give past sessions statuses in date order, as their clinicians would.

    Each change goes through the services at the time it would have been
    made, so the history's figures are those of that moment.
    """
    default = practice.portal_settings.default_allowance
    used = {}
    appointments = (
        practice.appointment_set.filter(start__lt=now)
        .select_related("case", "clinician__user")
        .prefetch_related("participants")
        .order_by("start", "pk")
    )
    for appointment in appointments:
        case = appointment.case
        clinician = appointment.clinician.user
        allowance = services.policy.allowance_of(case.allowance_override, default)
        year = appointment.start.astimezone(practice.zone).year
        if case.is_participant_level:
            for participant in appointment.participants.all():
                status = _pick(rng, PAST_MEMBER_STATUSES)
                key = (participant.membership_id, year)
                status = _cancellation(status, used, key, allowance)
                services.set_participant_status(
                    clinician,
                    participant.pk,
                    status,
                    now=_recorded_at(appointment, status, now),
                    acknowledged=True,
                )
            status = AppointmentStatus.ATTENDED
        else:
            status = _pick(rng, PAST_STATUSES)
            status = _cancellation(status, used, (case.pk, year), allowance)
        services.set_appointment_status(
            clinician,
            appointment.pk,
            status,
            now=_recorded_at(appointment, status, now),
            acknowledged=True,
        )


def _recorded_at(appointment, status, now):
    """When a status would have been recorded: notice before, else after."""
    if status in (
        AppointmentStatus.PLANNED_ABSENCE,
        AppointmentStatus.CANCELED_BY_CLIENT,
    ):
        return min(appointment.start - timedelta(days=2), now)
    return min(appointment.end, now)


def _cancellation(status, used, key, allowance):
    """Resolve a client cancellation against the allowance used so far."""
    if status != CLIENT_CANCELLATION:
        return status
    if used.get(key, 0) < allowance:
        used[key] = used.get(key, 0) + 1
        return AppointmentStatus.PLANNED_ABSENCE
    return AppointmentStatus.CANCELED_BY_CLIENT


def _pick(rng, weighted):
    statuses, weights = zip(*weighted, strict=True)
    return rng.choices(statuses, weights)[0]


def demo_sign_ins():
    """Return (role, email, password) for the people the demo lets you try."""
    return [
        ("Owner", demo_email("owner"), DEMO_PASSWORD),
        ("Clinician", demo_email("maya.chen"), DEMO_PASSWORD),
        ("Front desk", demo_email("frontdesk"), DEMO_PASSWORD),
        ("Biller", demo_email("billing"), DEMO_PASSWORD),
        ("Portal client (couple case)", demo_email("client.couple"), DEMO_PASSWORD),
        ("Portal client (group)", demo_email("client.group"), DEMO_PASSWORD),
    ]
