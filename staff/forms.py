from datetime import date, datetime, time, timedelta

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from appointments import services as appointment_services
from appointments.models import AppointmentStatus, ParticipantStatus
from clients import services as client_services
from clients.models import Case, Client
from practicerunner.lib.timezones import NonexistentTime, aware_local, weekly
from practices.models import MAX_ALLOWANCE, BillingSettings, PortalSettings, StaffMember

# The dates the schedule shows and new appointments may start on; the
# appointment services refuse the same range.
FIRST_DAY = date(appointment_services.FIRST_YEAR, 1, 1)
LAST_DAY = date(appointment_services.LAST_YEAR - 3, 12, 31)
DATE_RANGE_MESSAGE = f"Choose a date between {FIRST_DAY.year} and {LAST_DAY.year}."


class StaffSignInForm(AuthenticationForm):
    """Sign in with the email address the practice registered.

    Portal clients have sign-ins too; they are sent to the client portal
    rather than let in to a page that would only answer "forbidden".
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "not_staff": (
            "That email and password belong to a client's portal account. "
            "Clients sign in to the client portal at /portal/."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email"

    def clean_username(self):
        # Staff sign-ins are stored as the lower-cased email address.
        return self.cleaned_data["username"].strip().lower()

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not StaffMember.objects.filter(user=user).exists():
            raise forms.ValidationError(
                self.error_messages["not_staff"], code="not_staff"
            )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=AppointmentStatus.choices)
    acknowledged = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ParticipantStatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=ParticipantStatus.choices)
    acknowledged = forms.BooleanField(required=False, widget=forms.HiddenInput)


class BulkStatusForm(forms.Form):
    appointment = forms.TypedMultipleChoiceField(
        label="Appointments", coerce=int, error_messages={"required": "Select one."}
    )
    status = forms.ChoiceField(
        label="Set selected to", choices=AppointmentStatus.choices
    )
    acknowledged = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, appointment_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["appointment"].choices = [(i, i) for i in appointment_ids]


class AllowanceForm(forms.Form):
    allowance = forms.IntegerField(
        label="Planned absences per calendar year",
        required=False,
        min_value=0,
        max_value=MAX_ALLOWANCE,
        help_text="Leave empty for the practice default. 0 means none.",
    )


class AppointmentForm(forms.Form):
    case = forms.ModelChoiceField(label="Case", queryset=Case.objects.none())
    clinician = forms.ModelChoiceField(label="Clinician", queryset=None)
    date = forms.DateField(
        label="Date",
        widget=forms.DateInput(
            attrs={"type": "date", "min": FIRST_DAY, "max": LAST_DAY}
        ),
    )
    time = forms.TimeField(
        label="Start time", widget=forms.TimeInput(attrs={"type": "time"})
    )
    minutes = forms.IntegerField(
        label="Length (minutes)", min_value=5, max_value=600, initial=50
    )
    weeks = forms.IntegerField(
        label="Weekly sessions",
        min_value=1,
        max_value=appointment_services.MAX_WEEKS,
        initial=1,
        help_text="1 for a single session; more for a weekly series.",
    )
    # Set by the "Create anyway" step after an overlap was shown.
    allow_overlap = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, practice, clinicians, **kwargs):
        super().__init__(*args, **kwargs)
        self.practice = practice
        self.fields["case"].queryset = Case.objects.filter(practice=practice)
        self.fields["clinician"].queryset = clinicians

    def clean_date(self):
        value = self.cleaned_data["date"]
        if not FIRST_DAY <= value <= LAST_DAY:
            raise forms.ValidationError(DATE_RANGE_MESSAGE)
        return value

    def clean(self):
        data = super().clean()
        if not all(data.get(name) for name in ("date", "time", "weeks")):
            return data

        # A wall-clock time the clocks skip would silently become another
        # hour; say so next to the time, naming the session's date.
        naive = datetime.combine(data["date"], data["time"])
        zone = self.practice.zone
        try:
            weekly(naive, zone, data["weeks"])
        except NonexistentTime as skipped:
            self.add_error(
                "time",
                f"{skipped.moment:%H:%M} does not exist on "
                f"{skipped.moment.day} {skipped.moment:%B %Y} in {zone.key}: "
                "the clocks go forward that night. Choose another time.",
            )
        return data

    def start(self):
        """Return the start as an aware moment in the practice's zone."""
        data = self.cleaned_data
        naive = datetime.combine(data["date"], data["time"])
        return aware_local(naive, self.practice.zone)

    def duration(self):
        return timedelta(minutes=self.cleaned_data["minutes"])


class ClientDetailsForm(forms.ModelForm):
    """The contact fields; the client services check dates and duplicates."""

    class Meta:
        model = Client
        fields = ["name", "email", "phone", "date_of_birth"]
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"].widget.attrs.update(
            min=client_services.EARLIEST_BIRTH_DATE, max=today
        )


class PortalSettingsForm(forms.ModelForm):
    default_allowance = forms.IntegerField(
        label=PortalSettings._meta.get_field("default_allowance").verbose_name,
        min_value=0,
        max_value=MAX_ALLOWANCE,
        help_text=PortalSettings._meta.get_field("default_allowance").help_text,
    )
    minimum_notice_hours = forms.IntegerField(
        label="Minimum notice for portal changes (hours)",
        min_value=0,
        max_value=24 * 30,
        help_text=PortalSettings._meta.get_field("minimum_notice").help_text,
    )

    class Meta:
        model = PortalSettings
        fields = [
            "use_allowance",
            "default_allowance",
            "allow_cancellation_requests",
            "accept_automatically",
            "allow_rescheduling",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        notice = self.instance.minimum_notice
        self.fields["minimum_notice_hours"].initial = int(
            notice.total_seconds() // 3600
        )

    def values(self):
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        values["minimum_notice"] = timedelta(
            hours=self.cleaned_data["minimum_notice_hours"]
        )
        return values


class BillingSettingsForm(forms.ModelForm):
    class Meta:
        model = BillingSettings
        fields = ["canceled_by_client_keeps_fee", "no_show_keeps_fee"]

    def values(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


WEEKDAYS = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
]


class EndTimeField(forms.TimeField):
    """A time that also takes "24:00", the end of the day, as 23:59."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() in ("24:00", "24:00:00"):
            return time(23, 59)
        return super().to_python(value)


TIME_ERRORS = {"invalid": "Enter a time from 00:00 to 23:59, such as 09:00."}


class WorkingHoursForm(forms.Form):
    """A weekly template: one block per weekday, both times or neither."""

    def __init__(self, *args, hours=(), **kwargs):
        super().__init__(*args, **kwargs)
        first = {}
        for block in hours:
            first.setdefault(block.weekday, block)
        for weekday, name in enumerate(WEEKDAYS):
            block = first.get(weekday)
            for part, field in (("starts", forms.TimeField), ("ends", EndTimeField)):
                self.fields[f"{part}_{weekday}"] = field(
                    label=f"{name} {part}",
                    required=False,
                    error_messages=TIME_ERRORS,
                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                    initial=getattr(block, f"{part}_at", None),
                )

    def days(self):
        return [
            (name, self[f"starts_{weekday}"], self[f"ends_{weekday}"])
            for weekday, name in enumerate(WEEKDAYS)
        ]

    def clean(self):
        data = super().clean()
        for weekday in range(7):
            names = (f"starts_{weekday}", f"ends_{weekday}")
            if any(name in self.errors for name in names):
                # A time that could not be read has its own message.
                continue
            starts, ends = (data.get(name) for name in names)
            if (starts is None) != (ends is None):
                empty = names[0] if starts is None else names[1]
                self.add_error(empty, "Give both times, or neither.")
            elif starts and ends <= starts:
                self.add_error(f"ends_{weekday}", "The end must be after the start.")
        return data

    def blocks(self):
        data = self.cleaned_data
        return {
            weekday: (data[f"starts_{weekday}"], data[f"ends_{weekday}"])
            for weekday in range(7)
            if data.get(f"starts_{weekday}")
        }


class AcceptForm(forms.Form):
    """Accept a request as the allowance decides, or as one chosen outcome.

    Only the outcomes the service records for a request are offered: those
    of a cancellation, or of a group member's absence notice.
    """

    status = forms.ChoiceField(label="Accept as", required=False)
    acknowledged = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, participant_level, **kwargs):
        super().__init__(*args, **kwargs)
        if participant_level:
            outcomes = appointment_services.ABSENCE_OUTCOMES
            labels = ParticipantStatus
        else:
            outcomes = appointment_services.CANCELLATION_OUTCOMES
            labels = AppointmentStatus
        self.fields["status"].choices = [("", "As the allowance decides")] + [
            (status.value, labels(status).label) for status in outcomes
        ]


class DeclineForm(forms.Form):
    message = forms.CharField(
        label="Message to the client (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
