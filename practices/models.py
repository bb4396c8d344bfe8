from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from practicerunner.lib.timezones import is_valid_zone

MAX_ALLOWANCE = 52


def validate_time_zone(value):
    if not is_valid_zone(value):
        raise ValidationError(f"{value!r} is not an IANA time zone name.")


def validate_currency(value):
    if len(value) != 3 or not value.isalpha() or not value.isupper():
        raise ValidationError("Use a three-letter ISO currency code, e.g. USD.")


class Practice(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    currency = models.CharField(
        max_length=3, default="USD", validators=[validate_currency]
    )
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(time_zone=""), name="practice_time_zone_set"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def zone(self):
        return ZoneInfo(self.time_zone)


class PortalSettings(models.Model):
    practice = models.OneToOneField(
        Practice, on_delete=models.CASCADE, related_name="portal_settings"
    )
    use_allowance = models.BooleanField(
        "use planned absence allowance",
        default=False,
        help_text=(
            "Client cancellations become Planned absence (no fee) until the "
            "case's yearly allowance is used."
        ),
    )
    default_allowance = models.PositiveSmallIntegerField(
        "default planned absences per calendar year",
        default=6,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_ALLOWANCE)],
        help_text="Applies to every case without its own allowance (0 to 52).",
    )
    allow_cancellation_requests = models.BooleanField(
        "allow portal cancellation requests",
        default=True,
        help_text="Clients may ask to cancel an upcoming session in the portal.",
    )
    accept_automatically = models.BooleanField(
        "accept cancellation requests automatically",
        default=False,
        help_text="Off: each request waits in the queue for staff to decide.",
    )
    allow_rescheduling = models.BooleanField(
        "allow portal rescheduling",
        default=False,
        help_text="Clients may move a session to a free slot of the same clinician.",
    )
    minimum_notice = models.DurationField(
        "minimum notice for portal changes",
        default=timedelta(0),
        help_text=(
            "Cancellations and reschedules closer to the start than this are "
            "refused in the portal; clients are asked to call instead."
        ),
    )

    class Meta:
        verbose_name_plural = "portal settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(default_allowance__gte=0)
                & Q(default_allowance__lte=MAX_ALLOWANCE),
                name="portal_default_allowance_range",
            ),
            models.CheckConstraint(
                condition=Q(minimum_notice__gte=timedelta(0)),
                name="portal_minimum_notice_not_negative",
            ),
        ]

    def __str__(self):
        return f"Portal settings of {self.practice}"


class BillingSettings(models.Model):
    practice = models.OneToOneField(
        Practice, on_delete=models.CASCADE, related_name="billing_settings"
    )
    canceled_by_client_keeps_fee = models.BooleanField(
        "fee kept for Canceled by client",
        default=True,
        help_text="A client cancellation past the allowance is billed in full.",
    )
    no_show_keeps_fee = models.BooleanField(
        "fee kept for No-show",
        default=True,
        help_text="A session the client missed without notice is billed in full.",
    )

    class Meta:
        verbose_name_plural = "billing settings"

    def __str__(self):
        return f"Billing settings of {self.practice}"


class StaffRole(models.TextChoices):
    OWNER = "owner", "Owner"
    CLINICIAN = "clinician", "Clinician"
    FRONT_DESK = "front_desk", "Front desk"
    BILLER = "biller", "Biller"


class StaffMember(models.Model):
    practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, related_name="staff"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff"
    )
    role = models.CharField(max_length=20, choices=StaffRole.choices)
    display_name = models.CharField(max_length=200)

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name

    @property
    def is_owner(self):
        return self.role == StaffRole.OWNER

    @property
    def is_clinician(self):
        return self.role == StaffRole.CLINICIAN


class WorkingHours(models.Model):
    """One weekly block in which a clinician can see clients."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE)
    clinician = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="working_hours"
    )
    weekday = models.PositiveSmallIntegerField(
        choices=[
            (0, "Monday"),
            (1, "Tuesday"),
            (2, "Wednesday"),
            (3, "Thursday"),
            (4, "Friday"),
            (5, "Saturday"),
            (6, "Sunday"),
        ]
    )
    starts_at = models.TimeField()
    ends_at = models.TimeField()

    class Meta:
        verbose_name_plural = "working hours"
        ordering = ["weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="working_hours_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(weekday__lte=6), name="working_hours_weekday_range"
            ),
        ]

    def __str__(self):
        return f"{self.clinician} {self.get_weekday_display()} {self.starts_at}"

    def clean(self):
        if self.clinician_id and self.clinician.practice_id != self.practice_id:
            raise ValidationError("The clinician belongs to another practice.")


class TenantRow(models.Model):
    """A row that belongs to one practice, like every row it points to.

    `tenant_relations` names the foreign keys whose practice must match this
    row's. The check runs on save as well as in forms, because a row linking
    two practices would leak one practice's data into the other.
    """

    tenant_relations = ()

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.check_practice()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.check_practice()

    def check_practice(self):
        for name in self.tenant_relations:
            related = getattr(self, name)
            if related is not None and related.practice_id != self.practice_id:
                label = self._meta.get_field(name).verbose_name
                raise ValidationError(
                    {name: f"The {label} belongs to another practice."}
                )
