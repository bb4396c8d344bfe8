from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from practices.models import MAX_ALLOWANCE, StaffMember, TenantRow


class Client(TenantRow):
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    portal_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="client",
    )
    # NULL, not "", for "none": the per-practice unique constraint skips it.
    external_id = models.CharField(max_length=100, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "external_id"],
                condition=Q(external_id__isnull=False),
                name="client_external_id_unique_per_practice",
            ),
        ]

    def __str__(self):
        return self.name


class CaseKind(models.TextChoices):
    INDIVIDUAL = "individual", "Individual"
    TWO_PERSON = "two_person", "Two-person"
    FAMILY = "family", "Family"
    GROUP = "group", "Group"
    OTHER = "other", "Other"


# Cases whose members' absences are recorded per participant, never by
# cancelling the whole session.
PARTICIPANT_LEVEL_KINDS = frozenset({CaseKind.GROUP, CaseKind.OTHER})


class Case(TenantRow):
    kind = models.CharField(max_length=20, choices=CaseKind.choices)
    title = models.CharField(max_length=200)
    members = models.ManyToManyField(Client, through="Membership", related_name="cases")
    clinicians = models.ManyToManyField(StaffMember, related_name="cases", blank=True)
    session_fee = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    allowance_override = models.PositiveSmallIntegerField(
        "planned absence allowance",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_ALLOWANCE)],
        help_text=(
            "Planned absences per calendar year for this case. Empty: the "
            "practice default. 0 means none."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(allowance_override__isnull=True)
                | (
                    Q(allowance_override__gte=0)
                    & Q(allowance_override__lte=MAX_ALLOWANCE)
                ),
                name="case_allowance_override_range",
            ),
            models.CheckConstraint(
                condition=Q(session_fee__gte=0), name="case_session_fee_not_negative"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_participant_level(self):
        return self.kind in PARTICIPANT_LEVEL_KINDS


class Membership(TenantRow):
    tenant_relations = ("case", "client")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="memberships")
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="memberships"
    )
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "client"], name="membership_unique_per_case"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]

    def __str__(self):
        return f"{self.client} in {self.case}"

    def clean(self):
        super().clean()
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": "A member cannot leave before joining."})
