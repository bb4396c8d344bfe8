"""Moving a client's appointment to another free slot of the same clinician.

A reschedule is not a cancellation: it uses no planned absence and carries
no fee. It keeps the appointment's status, changes its start and end, and is
recorded as a reschedule (from, to) in the append-only history.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import transaction

from practices.models import StaffMember, WorkingHours

from . import notifications, policy
from .models import (
    Appointment,
    AppointmentStatus,
    ChangeKind,
    Channel,
    StatusChange,
)
from .services import (
    Refused,
    ServiceError,
    client_appointment,
    lock_case,
    portal_client,
)

logger = logging.getLogger(__name__)

# How far ahead a client may move a session.
SLOT_HORIZON = timedelta(weeks=4)

# Offered starts lie on this grid of the local clock (9:00, 9:30, 10:00, ...)
# so a client can pick any half hour that fits, whatever the session length.
SLOT_GRID = timedelta(minutes=30)

# Appointments that keep the clinician busy. A cancelled session or a
# planned absence frees its time.
BUSY_STATUSES = (
    AppointmentStatus.SCHEDULED,
    AppointmentStatus.ATTENDED,
    AppointmentStatus.NO_SHOW,
)

RESCHEDULING_OFF = policy.Refusal(
    "rescheduling_off",
    "This practice does not take reschedules in the portal. "
    "Please contact the practice.",
)
GROUP_SESSION = policy.Refusal(
    "group_session",
    "A group session cannot be moved by one member. You can let the "
    "practice know that you can't attend instead.",
)


class SlotTaken(ServiceError):
    """The chosen slot is no longer free; nothing was changed."""


class Stale(ServiceError):
    """The appointment moved or changed since the form was shown."""


@dataclass(frozen=True)
class ReschedulePreview:
    """What the portal may offer for moving one appointment now."""

    appointment: Appointment
    refusal: policy.Refusal | None = None
    slots: tuple = ()

    @property
    def allowed(self):
        return self.refusal is None


def _first_on_grid(moment):
    """Return the first grid time of the local clock at or after `moment`."""
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    steps = -(-(moment - midnight) // SLOT_GRID)
    return midnight + steps * SLOT_GRID


def slot_starts(hours, busy, *, zone, first_day, last_day, duration, earliest):
    """Return the UTC starts of free slots between two local days.

    `hours` are (weekday, starts_at, ends_at) blocks in local time; `busy`
    are (start, end) pairs of aware datetimes. A slot starts on the half
    hour, ends inside its block and overlaps no busy pair. Pure: no
    database, no clock.
    """
    starts = []
    day = first_day
    while day <= last_day:
        for weekday, starts_at, ends_at in hours:
            if weekday != day.weekday():
                continue
            start = _first_on_grid(datetime.combine(day, starts_at, tzinfo=zone))
            block_end = datetime.combine(day, ends_at, tzinfo=zone)
            while start + duration <= block_end:
                end = start + duration
                taken = any(s < end and start < e for s, e in busy)
                if start >= earliest and not taken:
                    starts.append(start.astimezone(UTC))
                start += SLOT_GRID
        day += timedelta(days=1)
    return sorted(set(starts))


def free_slots(appointment, *, now):
    """Return the free starts for moving `appointment`, in UTC, ascending.

    Slots come from the clinician's weekly working hours within the coming
    weeks, minus the clinician's other appointments, and start no sooner
    than the practice's minimum notice from now.
    """
    practice = appointment.practice
    zone = practice.zone
    earliest = now + practice.portal_settings.minimum_notice
    until = now + SLOT_HORIZON
    hours = WorkingHours.objects.filter(
        practice_id=practice.pk, clinician_id=appointment.clinician_id
    ).values_list("weekday", "starts_at", "ends_at")

    busy = (
        Appointment.objects.filter(
            practice_id=practice.pk,
            clinician_id=appointment.clinician_id,
            status__in=BUSY_STATUSES,
            start__lt=until + timedelta(days=1),
            end__gt=earliest,
        )
        .exclude(pk=appointment.pk)
        .values_list("start", "end")
    )
    starts = slot_starts(
        list(hours),
        list(busy),
        zone=zone,
        first_day=earliest.astimezone(zone).date(),
        last_day=until.astimezone(zone).date(),
        duration=appointment.end - appointment.start,
        earliest=earliest,
    )
    return [start for start in starts if start != appointment.start]


def _refusal(appointment, *, now):
    portal = appointment.practice.portal_settings
    refusal = policy.portal_refusal(
        now=now,
        start=appointment.start,
        end=appointment.end,
        status=appointment.status,
        portal_open=portal.allow_rescheduling,
        minimum_notice=portal.minimum_notice,
        participant_level=appointment.case.is_participant_level,
        whole_session=True,
    )
    if refusal is policy.PORTAL_OFF:
        return RESCHEDULING_OFF
    if refusal is policy.WHOLE_SESSION:
        return GROUP_SESSION
    return refusal


def preview_reschedule(actor, appointment_id, *, now):
    """Say whether the client may move this appointment, and to which slots."""
    client = portal_client(actor)
    appointment = client_appointment(client, appointment_id)
    refusal = _refusal(appointment, now=now)
    if refusal is not None:
        return ReschedulePreview(appointment, refusal=refusal)
    return ReschedulePreview(appointment, slots=tuple(free_slots(appointment, now=now)))


def reschedule(actor, appointment_id, new_start, *, now, expected_start):
    """Move a client's appointment to `new_start`, a free slot of its clinician.

    `expected_start` is the start the client saw; a form for an appointment
    that has moved since, or is no longer scheduled, raises Stale. A slot
    taken meanwhile raises SlotTaken. Either way nothing is written.
    """
    client = portal_client(actor)
    with transaction.atomic():
        # The same order as every writer: the case, then the appointment;
        # then the clinician, whose row guards their calendar.
        appointment = client_appointment(client, appointment_id)
        lock_case(appointment.case)
        appointment = client_appointment(client, appointment_id, lock=True)
        _lock_clinician(appointment.clinician_id)

        if appointment.start != expected_start or (
            appointment.status != AppointmentStatus.SCHEDULED
        ):
            raise Stale(
                "This session changed after you opened the page, so nothing "
                "was moved. Please look at it again."
            )

        refusal = _refusal(appointment, now=now)
        if refusal is not None:
            logger.info(
                "Portal reschedule refused: appointment=%s client=%s reason=%s",
                appointment.pk,
                client.pk,
                refusal.code,
            )
            raise Refused(refusal)

        if new_start not in free_slots(appointment, now=now):
            raise SlotTaken(
                "Sorry, that time is no longer free, so nothing was moved. "
                "Please pick another time."
            )

        from_start = appointment.start
        duration = appointment.end - appointment.start
        appointment.start = new_start
        appointment.end = new_start + duration
        appointment.save(update_fields=["start", "end"])
        change = StatusChange.objects.create(
            practice_id=appointment.practice_id,
            appointment=appointment,
            kind=ChangeKind.RESCHEDULE,
            changed_by=actor,
            changed_at=now,
            channel=Channel.PORTAL,
            from_status=appointment.status,
            to_status=appointment.status,
            from_start=from_start,
            to_start=new_start,
        )
        notifications.after_reschedule(change.pk)
    return change


def _lock_clinician(clinician_id):
    """Hold the clinician's row so two reschedules cannot take one slot.

    On SQLite the IMMEDIATE transaction mode serialises writers instead.
    """
    StaffMember.objects.select_for_update().filter(pk=clinician_id).values_list(
        "pk"
    ).get()
