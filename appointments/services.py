"""Every change to an appointment's or participant's status goes through here.

Each operation takes the acting user and `now`, runs in one transaction,
locks the case (or, for groups, the member's membership) before counting
planned absences, writes the change together with its status change record,
and returns a result value the caller renders. Pages, the portal, commands
and the admin call these functions; none of them writes a status itself.
"""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import Q

from clients.models import Case, Client, Membership
from practicerunner.lib.timezones import NonexistentTime, weekly, year_bounds
from practices.models import StaffMember, StaffRole

from . import notifications, policy
from .models import (
    Appointment,
    AppointmentStatus,
    CancellationRequest,
    Channel,
    Participant,
    ParticipantStatus,
    RequestState,
    StatusChange,
)

logger = logging.getLogger(__name__)

# What staff may record when they accept a client's request: outcomes of a
# cancellation, or of a group member's absence notice.
CANCELLATION_OUTCOMES = (
    AppointmentStatus.PLANNED_ABSENCE,
    AppointmentStatus.CANCELED_BY_CLIENT,
    AppointmentStatus.CANCELED_BY_PRACTICE,
)
ABSENCE_OUTCOMES = (
    ParticipantStatus.PLANNED_ABSENCE,
    ParticipantStatus.CANCELED_BY_CLIENT,
    ParticipantStatus.ABSENT,
)

# What happened at a session can only be recorded once it has started.
AFTER_START_STATUSES = frozenset(
    {
        AppointmentStatus.ATTENDED,
        AppointmentStatus.NO_SHOW,
        ParticipantStatus.ABSENT,
    }
)

STATUS_SETTING_ROLES = frozenset(
    {StaffRole.OWNER, StaffRole.CLINICIAN, StaffRole.FRONT_DESK}
)


class ServiceError(Exception):
    """A request the service will not carry out; nothing was changed."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    """The object does not exist for this user (or belongs to others)."""


class NotAllowed(ServiceError):
    """The user may see the object but not make this change."""


class Refused(ServiceError):
    """The portal refuses the change; `refusal` says why in plain words."""

    def __init__(self, refusal):
        super().__init__(refusal.message)
        self.refusal = refusal


# Result values.


@dataclass(frozen=True)
class CancellationPreview:
    """What a portal cancellation would do now. Nothing is changed."""

    appointment: Appointment
    refusal: policy.Refusal | None = None
    status: str | None = None
    usage: policy.Usage | None = None
    automatic: bool = False
    fee_kept: object = None
    pending_request: CancellationRequest | None = None
    # The figures counted, even when the allowance feature is off and
    # `usage` is therefore not shown; they go into the status record.
    counted: policy.Usage | None = None

    @property
    def allowed(self):
        return self.refusal is None and self.pending_request is None

    @property
    def status_label(self):
        return AppointmentStatus(self.status).label if self.status else ""


@dataclass(frozen=True)
class CancellationOutcome:
    """What a portal cancellation or absence notice did.

    `outcome` is "accepted" (status applied now), "pending" (a request waits
    for staff) or "unchanged" (a repeated submission: nothing was written).
    """

    outcome: str
    appointment: Appointment
    status: str
    usage: policy.Usage | None = None
    request: CancellationRequest | None = None
    participant: Participant | None = None

    @property
    def status_label(self):
        return _status_label(self.status, participant=self.participant is not None)


@dataclass(frozen=True)
class StatusResult:
    """The result of a staff status change.

    When `needs_acknowledgement` is true nothing was written: the caller
    shows `warnings` and asks again with `acknowledged=True`.
    """

    changed: bool
    warnings: list = field(default_factory=list)
    needs_acknowledgement: bool = False
    changes: list = field(default_factory=list)

    @property
    def warning(self):
        return self.warnings[0] if self.warnings else None


def _status_label(status, *, participant=False):
    choices = ParticipantStatus if participant else AppointmentStatus
    return choices(status).label


# Reading figures.


def _year_of(appointment):
    return appointment.start.astimezone(appointment.practice.zone).year


def _allowance(case, portal_settings):
    return policy.allowance_of(
        case.allowance_override, portal_settings.default_allowance
    )


def _case_used(case, year, zone, *, exclude=None):
    start, end = year_bounds(year, zone)
    planned = Appointment.objects.filter(
        case=case,
        status=AppointmentStatus.PLANNED_ABSENCE,
        start__gte=start,
        start__lt=end,
    )
    if exclude is not None:
        planned = planned.exclude(pk=exclude.pk)
    return planned.count()


def _member_used(membership, year, zone, *, exclude=None):
    start, end = year_bounds(year, zone)
    planned = Participant.objects.filter(
        membership=membership,
        status=ParticipantStatus.PLANNED_ABSENCE,
        appointment__start__gte=start,
        appointment__start__lt=end,
    )
    if exclude is not None:
        planned = planned.exclude(pk=exclude.pk)
    return planned.count()


def case_usage(case, year):
    """Return the case's planned absence usage in a calendar year."""
    practice = case.practice
    allowance = _allowance(case, practice.portal_settings)
    return policy.Usage(year, _case_used(case, year, practice.zone), allowance)


def member_usage(membership, year):
    """Return a group member's planned absence usage in the case for a year."""
    case = membership.case
    practice = case.practice
    allowance = _allowance(case, practice.portal_settings)
    used = _member_used(membership, year, practice.zone)
    return policy.Usage(year, used, allowance)


def _appointment_usage(appointment, *, exclude_self=True):
    year = _year_of(appointment)
    used = _case_used(
        appointment.case,
        year,
        appointment.practice.zone,
        exclude=appointment if exclude_self else None,
    )
    allowance = _allowance(appointment.case, appointment.practice.portal_settings)
    return policy.Usage(year, used, allowance)


def _participant_usage(participant):
    appointment = participant.appointment
    year = _year_of(appointment)
    used = _member_used(
        participant.membership, year, appointment.practice.zone, exclude=participant
    )
    allowance = _allowance(appointment.case, appointment.practice.portal_settings)
    return policy.Usage(year, used, allowance)


# Finding and locking.

_APPOINTMENT_RELATED = (
    "case",
    "clinician",
    "practice__portal_settings",
    "practice__billing_settings",
)


def portal_client(actor):
    client = (
        Client.objects.select_related("practice")
        .filter(portal_user=actor, portal_user__is_active=True)
        .first()
    )
    if client is None:
        raise NotFound("No client account is linked to this sign-in.")
    return client


def _staff(actor, *, roles=None):
    staff = StaffMember.objects.filter(user=actor, user__is_active=True).first()
    if staff is None:
        raise NotAllowed("Only staff of the practice can do this.")
    if roles is not None and staff.role not in roles:
        raise NotAllowed("Your role cannot change appointment statuses.")
    return staff


def client_appointment(client, appointment_id, *, lock=False):
    """Return the appointment if the client is a current member of its case."""
    appointments = Appointment.objects.select_related(*_APPOINTMENT_RELATED).filter(
        pk=appointment_id,
        practice_id=client.practice_id,
        case__memberships__client=client,
        case__memberships__left_on__isnull=True,
    )
    if lock:
        appointments = appointments.select_for_update(of=("self",))
    appointment = appointments.first()
    if appointment is None:
        raise NotFound("Appointment not found.")
    return appointment


def _staff_appointment(staff, appointment_id, *, lock=False):
    appointments = Appointment.objects.select_related(*_APPOINTMENT_RELATED).filter(
        pk=appointment_id, practice_id=staff.practice_id
    )
    if lock:
        appointments = appointments.select_for_update(of=("self",))
    appointment = appointments.first()
    if appointment is None:
        raise NotFound("Appointment not found.")
    return appointment


def lock_case(case):
    """Hold the case's row until the transaction ends.

    Every count-then-write of case-level planned absences takes this lock
    first, so two cancellations racing for the last unit are serialised.
    Writers lock the case before any of its appointments, always in that
    order, so two of them never wait on each other. On SQLite the IMMEDIATE
    transaction mode serialises writers instead.
    """
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk").get()


def _lock_membership(membership):
    Membership.objects.select_for_update().filter(pk=membership.pk).values_list(
        "pk"
    ).get()


def _record(
    appointment,
    *,
    actor,
    now,
    channel,
    from_status,
    to_status,
    usage,
    use_allowance,
    warning=None,
    participant=None,
    request=None,
):
    return StatusChange.objects.create(
        practice_id=appointment.practice_id,
        appointment=appointment,
        participant=participant,
        changed_by=actor,
        changed_at=now,
        channel=channel,
        from_status=from_status,
        to_status=to_status,
        year=usage.year if usage else None,
        used=usage.used if usage else None,
        allowance=usage.allowance if usage and use_allowance else None,
        warning_shown=warning is not None,
        warning_acknowledged=warning is not None,
        request=request,
    )


def _pending_request(appointment, client, participant=None):
    return CancellationRequest.objects.filter(
        appointment=appointment, client=client, state=RequestState.PENDING
    ).first()


def _fee_kept(appointment, status):
    billing = appointment.practice.billing_settings
    return policy.fee_due(
        status=status,
        fee=appointment.fee,
        canceled_by_client_keeps_fee=billing.canceled_by_client_keeps_fee,
        no_show_keeps_fee=billing.no_show_keeps_fee,
    )


def _preview(appointment, *, now, participant=None, pending=None):
    portal = appointment.practice.portal_settings
    current = participant.status if participant else appointment.status
    if pending is not None:
        return CancellationPreview(appointment, pending_request=pending)

    refusal = policy.portal_refusal(
        now=now,
        start=appointment.start,
        end=appointment.end,
        status=current,
        portal_open=portal.allow_cancellation_requests,
        minimum_notice=portal.minimum_notice,
        participant_level=appointment.case.is_participant_level,
        whole_session=participant is None,
    )
    if refusal is not None:
        return CancellationPreview(appointment, refusal=refusal)

    if participant is not None:
        usage = _participant_usage(participant)
    else:
        usage = _appointment_usage(appointment)
    status = policy.client_cancellation_status(
        use_allowance=portal.use_allowance, usage=usage
    )
    return CancellationPreview(
        appointment,
        status=status,
        usage=usage if portal.use_allowance else None,
        automatic=portal.accept_automatically,
        fee_kept=_fee_kept(appointment, status),
        counted=usage,
    )


def _own_participant(appointment, client, *, lock=False):
    participants = Participant.objects.select_related("membership").filter(
        appointment=appointment, client=client
    )
    if lock:
        participants = participants.select_for_update(of=("self",))
    participant = participants.first()
    if participant is None:
        raise NotFound("You are not on the list for this session.")
    return participant


def preview_cancellation(actor, appointment_id, *, now):
    """Say what cancelling this appointment in the portal would do now.

    For a group or other multi-client case this previews the client's own
    absence notice, since the session as a whole cannot be cancelled.
    """
    client = portal_client(actor)
    appointment = client_appointment(client, appointment_id)
    participant = None
    if appointment.case.is_participant_level:
        participant = _own_participant(appointment, client)
    pending = _pending_request(appointment, client)
    return _preview(appointment, now=now, participant=participant, pending=pending)


def preview_for_staff(actor, appointment_id, *, now, client_id=None):
    """Say what a portal cancellation (or a member's absence) would do now."""
    staff = _staff(actor)
    appointment = _staff_appointment(staff, appointment_id)
    participant = None
    if client_id is not None:
        participant = (
            Participant.objects.select_related("membership")
            .filter(appointment=appointment, client_id=client_id)
            .first()
        )
        if participant is None:
            raise NotFound("That client is not on this session.")
    pending = CancellationRequest.objects.filter(
        appointment=appointment, participant=participant, state=RequestState.PENDING
    ).first()
    return _preview(appointment, now=now, participant=participant, pending=pending)


def request_cancellation(actor, appointment_id, *, now):
    """Cancel an individual, two-person or family appointment from the portal.

    Accepted at once when the practice accepts requests automatically,
    otherwise queued for staff. A repeated submission writes nothing and
    answers with the existing outcome.
    """
    client = portal_client(actor)
    with transaction.atomic():
        appointment = client_appointment(client, appointment_id)
        lock_case(appointment.case)
        appointment = client_appointment(client, appointment_id, lock=True)
        return _client_change(client, appointment, None, now=now)


def report_absence(actor, appointment_id, *, now):
    """Let the practice know a group member can't attend one session."""
    client = portal_client(actor)
    with transaction.atomic():
        appointment = client_appointment(client, appointment_id)
        if not appointment.case.is_participant_level:
            raise ServiceError("Use cancel for this session.")
        participant = _own_participant(appointment, client)
        _lock_membership(participant.membership)
        participant = _own_participant(appointment, client, lock=True)
        return _client_change(client, appointment, participant, now=now)


def _client_change(client, appointment, participant, *, now):
    """Cancel (or, with `participant`, report an absence); the lock is held."""
    current = participant.status if participant else appointment.status
    pending = _pending_request(appointment, client)
    if pending is not None:
        return CancellationOutcome(
            "unchanged", appointment, current, request=pending, participant=participant
        )

    preview = _preview(appointment, now=now, participant=participant)
    if preview.refusal is policy.NOT_OPEN:
        # A repeated submission, or a decision made meanwhile: answer with
        # what the appointment already is.
        return CancellationOutcome(
            "unchanged", appointment, current, participant=participant
        )
    if preview.refusal is not None:
        logger.info(
            "Portal change refused: appointment=%s client=%s reason=%s",
            appointment.pk,
            client.pk,
            preview.refusal.code,
        )
        raise Refused(preview.refusal)

    request = CancellationRequest(
        practice_id=appointment.practice_id,
        appointment=appointment,
        participant=participant,
        client=client,
        requested_by=client.portal_user,
        requested_at=now,
    )
    if not preview.automatic:
        request.save()
        notifications.after_commit("request_received", request.pk)
        return CancellationOutcome(
            "pending", appointment, current, request=request, participant=participant
        )

    request.state = RequestState.ACCEPTED
    request.resulting_status = preview.status
    request.decided_at = now
    request.save()
    _apply(
        appointment,
        participant,
        preview.status,
        actor=client.portal_user,
        now=now,
        channel=Channel.PORTAL,
        usage=preview.counted,
        request=request,
    )
    notifications.after_commit("request_accepted", request.pk)
    return CancellationOutcome(
        "accepted",
        appointment,
        preview.status,
        usage=preview.usage,
        request=request,
        participant=participant,
    )


def _usage_for(appointment, participant):
    if participant is not None:
        return _participant_usage(participant)
    return _appointment_usage(appointment)


def _apply(
    appointment,
    participant,
    status,
    *,
    actor,
    now,
    channel,
    usage,
    request=None,
    warning=None,
):
    """Write one status and its record. The caller holds the lock."""
    use_allowance = appointment.practice.portal_settings.use_allowance
    if participant is not None:
        from_status = participant.status
        participant.status = status
        participant.save(update_fields=["status"])
    else:
        from_status = appointment.status
        appointment.status = status
        appointment.save(update_fields=["status"])

    return _record(
        appointment,
        actor=actor,
        now=now,
        channel=channel,
        from_status=from_status,
        to_status=status,
        usage=usage,
        use_allowance=use_allowance,
        warning=warning,
        participant=participant,
        request=request,
    )


def _close_request(request, state, status, *, by, now, message=""):
    request.state = state
    request.resulting_status = status
    request.decided_by = by
    request.decided_at = now
    request.message = message
    request.save(
        update_fields=[
            "state",
            "resulting_status",
            "decided_by",
            "decided_at",
            "message",
        ]
    )


# Staff changes.


class _NeedsAcknowledgement(Exception):
    """Rolls back a batch whose warnings were not yet acknowledged."""

    def __init__(self, warnings):
        self.warnings = warnings


def _acting_practice_id(actor, practice, *, roles=STATUS_SETTING_ROLES):
    """Return the practice the actor changes, checking the actor's role.

    Commands (actor None) and superusers in the admin name the practice.
    """
    if actor is not None and not actor.is_superuser:
        return _staff(actor, roles=roles).practice_id
    if practice is None:
        raise NotAllowed("A practice is needed for this change.")
    return practice.pk


def _check_status(value, choices):
    if value not in choices.values:
        raise ServiceError(f"Unknown status {value!r}.")
    return choices(value)


def set_appointment_status(actor, appointment_id, status, *, now, **options):
    """Set one appointment's status; see set_appointment_statuses."""
    return set_appointment_statuses(actor, [appointment_id], status, now=now, **options)


def set_appointment_statuses(
    actor,
    appointment_ids,
    status,
    *,
    now,
    channel=Channel.STAFF,
    acknowledged=False,
    practice=None,
):
    """Set several appointments to one status, in start order.

    Each Planned absence past its case's allowance produces a warning,
    counting the earlier appointments of the same batch. Unless the warnings
    were acknowledged, nothing is written and they are returned.
    """
    status = _check_status(status, AppointmentStatus)
    practice_id = _acting_practice_id(actor, practice)
    ids = set(appointment_ids)
    with transaction.atomic():
        appointments = list(
            Appointment.objects.select_related(*_APPOINTMENT_RELATED)
            .filter(pk__in=ids, practice_id=practice_id)
            .order_by("start", "pk")
        )
        if len(appointments) != len(ids):
            raise NotFound("Appointment not found.")
        _lock_cases({a.case_id for a in appointments})

        pairs = [(appointment, None) for appointment in appointments]
        return _change_all(
            pairs,
            status,
            actor=actor,
            now=now,
            channel=channel,
            acknowledged=acknowledged,
        )


def _change_all(pairs, status, *, actor, now, channel, acknowledged):
    """Apply `status` to each (appointment, participant) pair, in order.

    The caller holds the locks, inside its transaction. When a warning was
    not acknowledged, everything of the batch is rolled back, so each
    warning counted the earlier changes of the same batch.
    """
    warnings, changes = [], []
    try:
        with transaction.atomic():
            for appointment, participant in pairs:
                change, warning = _staff_change(
                    appointment,
                    participant,
                    status,
                    actor=actor,
                    now=now,
                    channel=channel,
                )
                if warning is not None:
                    warnings.append(warning)
                if change is not None:
                    changes.append(change)

            if warnings and not acknowledged:
                raise _NeedsAcknowledgement(warnings)
    except _NeedsAcknowledgement:
        return StatusResult(
            changed=False, warnings=warnings, needs_acknowledgement=True
        )
    return StatusResult(changed=bool(changes), warnings=warnings, changes=changes)


def _lock_cases(case_ids):
    # A fixed order keeps two batches from locking each other out.
    list(
        Case.objects.select_for_update()
        .filter(pk__in=case_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _staff_change(
    appointment, participant, status, *, actor, now, channel, request=None
):
    """Apply one staff change and return (record, warning)."""
    current = participant.status if participant else appointment.status
    if current == status:
        return None, None
    if status in AFTER_START_STATUSES and appointment.start > now:
        label = _status_label(status, participant=participant is not None)
        when = _local_text(appointment.start.astimezone(appointment.practice.zone))
        raise ServiceError(
            f"{label} can be recorded once the session has started ({when})."
        )
    member_statuses = (
        AppointmentStatus.PLANNED_ABSENCE,
        AppointmentStatus.CANCELED_BY_CLIENT,
    )
    if (
        participant is None
        and appointment.case.is_participant_level
        and status in member_statuses
    ):
        raise ServiceError(
            f"{appointment.case} is a {appointment.case.get_kind_display().lower()}"
            " case: record each member's absence in the participant list."
        )

    usage = _usage_for(appointment, participant)
    warning = policy.staff_warning(
        use_allowance=appointment.practice.portal_settings.use_allowance,
        to_status=status,
        usage=usage,
        case_title=appointment.case.title,
        member_name=participant.client.name if participant else "",
    )
    change = _apply(
        appointment,
        participant,
        status,
        actor=actor,
        now=now,
        channel=channel,
        usage=usage,
        warning=warning,
        request=request,
    )
    return change, warning


def set_participant_status(actor, participant_id, status, *, now, **options):
    """Set one group member's status; see set_participant_statuses."""
    return set_participant_statuses(actor, [participant_id], status, now=now, **options)


def set_participant_statuses(
    actor,
    participant_ids,
    status,
    *,
    now,
    channel=Channel.STAFF,
    acknowledged=False,
    practice=None,
):
    """Set several participants to one status, warning as for appointments."""
    status = _check_status(status, ParticipantStatus)
    practice_id = _acting_practice_id(actor, practice)
    ids = set(participant_ids)
    with transaction.atomic():
        participants = list(
            Participant.objects.select_related(
                "membership",
                "client",
                *(f"appointment__{name}" for name in _APPOINTMENT_RELATED),
            )
            .filter(pk__in=ids, practice_id=practice_id)
            .order_by("appointment__start", "pk")
        )
        if len(participants) != len(ids):
            raise NotFound("Participant not found.")
        list(
            Membership.objects.select_for_update()
            .filter(pk__in={p.membership_id for p in participants})
            .order_by("pk")
            .values_list("pk", flat=True)
        )

        pairs = [(p.appointment, p) for p in participants]
        return _change_all(
            pairs,
            status,
            actor=actor,
            now=now,
            channel=channel,
            acknowledged=acknowledged,
        )


# Decisions on portal requests.


def _staff_request(practice_id, request_id):
    request = (
        CancellationRequest.objects.select_for_update(of=("self",))
        .select_related(
            "client",
            "participant__membership",
            "participant__client",
            *(f"appointment__{name}" for name in _APPOINTMENT_RELATED),
        )
        .filter(pk=request_id, practice_id=practice_id)
        .first()
    )
    if request is None:
        raise NotFound("Cancellation request not found.")
    if request.state != RequestState.PENDING:
        raise ServiceError(
            f"This request was already {request.get_state_display().lower()}."
        )
    return request


def preview_acceptance(actor, request_id, *, now):
    """Say what accepting a pending request would do now, changing nothing."""
    practice_id = _acting_practice_id(actor, None)
    request = (
        CancellationRequest.objects.select_related(
            "participant__membership",
            *(f"appointment__{name}" for name in _APPOINTMENT_RELATED),
        )
        .filter(pk=request_id, practice_id=practice_id)
        .first()
    )
    if request is None:
        raise NotFound("Cancellation request not found.")
    return _acceptance_preview(request)


def _acceptance_preview(request):
    appointment = request.appointment
    portal = appointment.practice.portal_settings
    usage = _usage_for(appointment, request.participant)
    status = policy.client_cancellation_status(
        use_allowance=portal.use_allowance, usage=usage
    )
    return CancellationPreview(
        appointment,
        status=status,
        usage=usage if portal.use_allowance else None,
        fee_kept=_fee_kept(appointment, status),
        pending_request=request,
    )


def accept_request(actor, request_id, *, now, status=None, acknowledged=False):
    """Accept a pending portal request.

    Without `status` the allowance decides, as of now (rule 6). Staff may
    choose another status; a Planned absence past the allowance then needs
    `acknowledged=True`, as for any staff change.
    """
    practice_id = _acting_practice_id(actor, None)
    try:
        with transaction.atomic():
            request = _staff_request(practice_id, request_id)
            appointment, participant = request.appointment, request.participant
            if participant is not None:
                _lock_membership(participant.membership)
            else:
                lock_case(appointment.case)

            current = participant.status if participant else appointment.status
            if current not in policy.OPEN_STATUSES:
                raise ServiceError(
                    "The session is no longer scheduled "
                    f"({_status_label(current, participant=participant is not None)}); "
                    "decline the request instead."
                )

            choices = ParticipantStatus if participant else AppointmentStatus
            if status is None:
                status = _acceptance_preview(request).status
            status = _check_status(status, choices)
            outcomes = ABSENCE_OUTCOMES if participant else CANCELLATION_OUTCOMES
            if status not in outcomes:
                labels = ", ".join(choices(o).label for o in outcomes)
                raise ServiceError(
                    f"Accepting a request records one of: {labels}. "
                    "To keep the session, decline the request."
                )
            change, warning = _staff_change(
                appointment,
                participant,
                status,
                actor=actor,
                now=now,
                channel=Channel.STAFF,
                request=request,
            )
            if warning is not None and not acknowledged:
                raise _NeedsAcknowledgement([warning])
            _close_request(request, RequestState.ACCEPTED, status, by=actor, now=now)
            notifications.after_commit("request_accepted", request.pk)
    except _NeedsAcknowledgement as pending:
        return StatusResult(
            changed=False, warnings=pending.warnings, needs_acknowledgement=True
        )

    return StatusResult(
        changed=True,
        warnings=[warning] if warning else [],
        changes=[change] if change else [],
    )


def decline_request(actor, request_id, *, now, message=""):
    """Decline a pending request; the appointment stays as it is."""
    practice_id = _acting_practice_id(actor, None)
    with transaction.atomic():
        request = _staff_request(practice_id, request_id)
        _close_request(
            request, RequestState.DECLINED, "", by=actor, now=now, message=message
        )
        notifications.after_commit("request_declined", request.pk)
    return request


def withdraw_request(actor, request_id, *, now):
    """Let a client take back their own pending request."""
    client = portal_client(actor)
    with transaction.atomic():
        request = (
            CancellationRequest.objects.select_for_update()
            .filter(pk=request_id, client=client)
            .first()
        )
        if request is None:
            raise NotFound("Cancellation request not found.")
        if request.state != RequestState.PENDING:
            raise ServiceError(
                f"This request was already {request.get_state_display().lower()}."
            )
        _close_request(request, RequestState.WITHDRAWN, "", by=actor, now=now)
    return request


# Creating appointments.


# Appointments keep their clinician busy in these statuses; a cancelled
# session or a planned absence frees the time.
BUSY_STATUSES = (
    AppointmentStatus.SCHEDULED,
    AppointmentStatus.ATTENDED,
    AppointmentStatus.NO_SHOW,
)
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_WEEKS = 104


class Overlap(ServiceError):
    """The clinician already has a session at one of the new times."""

    def __init__(self, message, appointments):
        super().__init__(message)
        self.appointments = appointments


def create_appointments(
    actor,
    *,
    case,
    clinician,
    start,
    duration,
    now,
    weeks=1,
    fee=None,
    practice=None,
    allow_overlap=False,
):
    """Create one appointment, or a weekly series of `weeks` sessions.

    The series keeps its local hour across daylight saving changes. A
    session that would overlap one of the clinician's raises Overlap unless
    `allow_overlap`; nothing is created then. Multi-client cases get a
    participant row for each current member. Returns the new appointments
    in start order.
    """
    practice_id = _acting_practice_id(actor, practice)
    if case.practice_id != practice_id or clinician.practice_id != practice_id:
        raise NotFound("Case or clinician not found.")
    if duration <= timedelta(0):
        raise ServiceError("A session must end after it starts.")
    if not 1 <= weeks <= MAX_WEEKS:
        raise ServiceError(f"A series has between 1 and {MAX_WEEKS} weekly sessions.")

    zone = case.practice.zone
    local_start = start.astimezone(zone).replace(tzinfo=None)
    last_year = LAST_YEAR - 3
    if not FIRST_YEAR <= local_start.year <= last_year:
        raise ServiceError(f"Choose a date between {FIRST_YEAR} and {last_year}.")
    last_start = local_start + timedelta(weeks=weeks - 1)
    if last_start.year > last_year:
        raise ServiceError(
            f"The series would end on {last_start:%d %B %Y}, after {last_year}; "
            "choose fewer weeks."
        )
    try:
        starts = weekly(local_start, zone, weeks)
    except NonexistentTime as skipped:
        raise ServiceError(
            f"{skipped.moment:%H:%M} does not exist on {skipped.moment:%d %B %Y} "
            f"in {zone.key}: the clocks go forward that night. Choose another time."
        ) from None

    with transaction.atomic():
        # The clinician's row is the lock a portal reschedule takes before
        # looking for a free slot, so the two cannot book one slot twice.
        list(
            StaffMember.objects.select_for_update().filter(pk=clinician.pk).values("pk")
        )
        if not allow_overlap:
            _check_free(clinician, starts, duration, zone)

        members = list(case.memberships.filter(left_on__isnull=True))
        series = uuid.uuid4() if weeks > 1 else None
        appointments = []
        for session_start in starts:
            appointment = Appointment.objects.create(
                practice_id=practice_id,
                case=case,
                clinician=clinician,
                start=session_start,
                end=session_start + duration,
                fee=case.session_fee if fee is None else fee,
                series=series,
            )
            if case.is_participant_level:
                Participant.objects.bulk_create(
                    Participant(
                        practice_id=practice_id,
                        appointment=appointment,
                        membership=member,
                        client_id=member.client_id,
                    )
                    for member in members
                )
            appointments.append(appointment)
    logger.debug("Created %s appointment(s) for case=%s", weeks, case.pk)
    return appointments


def _local_text(local):
    return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M %Z}"


def _check_free(clinician, starts, duration, zone):
    overlapping = Q()
    for session_start in starts:
        overlapping |= Q(start__lt=session_start + duration, end__gt=session_start)
    clashes = list(
        Appointment.objects.filter(
            overlapping, clinician=clinician, status__in=BUSY_STATUSES
        )
        .select_related("case")
        .order_by("start")[:5]
    )
    if not clashes:
        return

    times = ", ".join(
        f"{_local_text(a.start.astimezone(zone))} ({a.case.title})" for a in clashes
    )
    raise Overlap(f"{clinician} already has a session at {times}.", clashes)
