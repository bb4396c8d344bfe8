from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from clients.models import Case, Client, Membership
from practices.models import StaffMember, TenantRow

from . import policy


class AppointmentStatus(models.TextChoices):
    SCHEDULED = policy.SCHEDULED, "Scheduled"
    ATTENDED = policy.ATTENDED, "Attended"
    PLANNED_ABSENCE = policy.PLANNED_ABSENCE, "Planned absence"
    CANCELED_BY_CLIENT = policy.CANCELED_BY_CLIENT, "Canceled by client"
    CANCELED_BY_PRACTICE = policy.CANCELED_BY_PRACTICE, "Canceled by practice"
    NO_SHOW = policy.NO_SHOW, "No-show"


class ParticipantStatus(models.TextChoices):
    EXPECTED = policy.EXPECTED, "Expected"
    ATTENDED = policy.ATTENDED, "Attended"
    PLANNED_ABSENCE = policy.PLANNED_ABSENCE, "Planned absence"
    ABSENT = policy.ABSENT, "Absent"
    CANCELED_BY_CLIENT = policy.CANCELED_BY_CLIENT, "Canceled by client"


class Channel(models.TextChoices):
    STAFF = "staff", "Staff page"
    PORTAL = "portal", "Portal"
    API = "api", "API"
    IMPORT = "import", "Import"
    ADMIN = "admin", "Admin"


class Appointment(TenantRow):
    tenant_relations = ("case", "clinician")

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="appointments"
    )
    clinician = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="appointments"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    fee = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    status = models.CharField(
        max_length=30,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.SCHEDULED,
    )
    series = models.UUIDField(
        null=True, blank=True, help_text="Shared by the sessions of a weekly series."
    )
    # NULL, not "", for "none": the per-practice unique constraint skips it.
    external_id = models.CharField(max_length=100, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="appointment_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(fee__gte=0), name="appointment_fee_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AppointmentStatus.values),
                name="appointment_status_known",
            ),
            models.UniqueConstraint(
                fields=["practice", "external_id"],
                condition=Q(external_id__isnull=False),
                name="appointment_external_id_unique_per_practice",
            ),
        ]
        indexes = [
            # The yearly allowance count: one case, one status, a range of
            # starts. With all three in the index it is a range scan.
            models.Index(
                fields=["case", "status", "start"], name="appointment_case_usage"
            ),
            models.Index(fields=["practice", "start"], name="appointment_schedule"),
            models.Index(
                fields=["clinician", "start"], name="appointment_clinician_day"
            ),
        ]

    def __str__(self):
        return f"{self.case} at {self.start:%Y-%m-%d %H:%M} UTC"


class Participant(TenantRow):
    """A case member's attendance on one appointment of a multi-client case."""

    tenant_relations = ("appointment", "membership")

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="participants"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="participations"
    )
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="participations"
    )
    status = models.CharField(
        max_length=30,
        choices=ParticipantStatus.choices,
        default=ParticipantStatus.EXPECTED,
    )

    class Meta:
        ordering = ["appointment", "client__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "client"], name="participant_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ParticipantStatus.values),
                name="participant_status_known",
            ),
        ]
        indexes = [
            # A member's yearly count starts from their planned absences.
            models.Index(
                fields=["membership", "status"], name="participant_member_usage"
            ),
        ]

    def __str__(self):
        return f"{self.client} on {self.appointment}"


class RequestState(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class CancellationRequest(TenantRow):
    """A client's request, from the portal, to cancel or to be absent."""

    tenant_relations = ("appointment", "client")

    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, related_name="cancellation_requests"
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cancellation_requests",
        help_text="Set for a group member's absence notice.",
    )
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="cancellation_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    state = models.CharField(
        max_length=20, choices=RequestState.choices, default=RequestState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    resulting_status = models.CharField(max_length=30, blank=True)
    message = models.TextField(
        blank=True, help_text="Staff's message to the client on a decision."
    )

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            # One open request per appointment and client: a double submit
            # cannot queue two.
            models.UniqueConstraint(
                fields=["appointment", "client"],
                condition=Q(state="pending"),
                name="one_pending_request_per_client",
            ),
            models.CheckConstraint(
                condition=Q(state__in=RequestState.values),
                name="cancellation_request_state_known",
            ),
        ]

    def __str__(self):
        return f"Request {self.pk} ({self.state})"


class ChangeKind(models.TextChoices):
    STATUS = "status", "Status change"
    RESCHEDULE = "reschedule", "Reschedule"


class StatusChange(TenantRow):
    """One status change (or reschedule) of an appointment or participant.

    Append-only: the history of what was decided, by whom, and on which
    figures. Rows are never updated or deleted.
    """

    tenant_relations = ("appointment",)

    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, related_name="status_changes"
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_changes",
    )
    kind = models.CharField(
        max_length=20, choices=ChangeKind.choices, default=ChangeKind.STATUS
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField()
    channel = models.CharField(max_length=20, choices=Channel.choices)
    from_status = models.CharField(max_length=30)
    to_status = models.CharField(max_length=30)
    from_start = models.DateTimeField(null=True, blank=True)
    to_start = models.DateTimeField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    used = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Planned absences already used that year."
    )
    allowance = models.PositiveSmallIntegerField(null=True, blank=True)
    warning_shown = models.BooleanField(default=False)
    warning_acknowledged = models.BooleanField(default=False)
    request = models.ForeignKey(
        CancellationRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_changes",
    )

    class Meta:
        ordering = ["changed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(warning_acknowledged=False) | Q(warning_shown=True),
                name="status_change_acknowledged_only_if_shown",
            ),
        ]

    def __str__(self):
        return f"{self.from_status} -> {self.to_status} at {self.changed_at}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Status change records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Status change records are append-only.")
