from django.conf import settings
from django.db import models
from django.db.models import F, Q

from appointments.models import Appointment, AppointmentStatus
from clients.models import Case
from practices.models import TenantRow


class Statement(TenantRow):
    """A billing statement as issued: its lines are a snapshot.

    Later status changes do not alter an issued statement; the statement
    page compares the snapshot with the appointments as they are now.
    """

    tenant_relations = ("case",)

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="statements")
    period_start = models.DateField()
    period_end = models.DateField(help_text="Inclusive.")
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    currency = models.CharField(max_length=3)
    canceled_by_client_keeps_fee = models.BooleanField()
    no_show_keeps_fee = models.BooleanField()
    total_due = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="statement_period_ordered",
            ),
        ]

    def __str__(self):
        return f"Statement {self.pk} for {self.case}"


class StatementLine(models.Model):
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="lines"
    )
    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, related_name="statement_lines"
    )
    start = models.DateTimeField()
    status = models.CharField(max_length=30, choices=AppointmentStatus.choices)
    fee = models.DecimalField(max_digits=10, decimal_places=2)
    fee_due = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "appointment"], name="statement_line_unique"
            ),
        ]

    def __str__(self):
        return f"{self.appointment_id}: {self.status} {self.fee_due}"
