from datetime import datetime, timedelta

from django import forms

from appointments.models import AppointmentStatus, ParticipantStatus
from clients.models import Case, Client
from practices.models import MAX_ALLOWANCE, BillingSettings, PortalSettings


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
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label="Start time", widget=forms.TimeInput(attrs={"type": "time"})
    )
    minutes = forms.IntegerField(
        label="Length (minutes)", min_value=5, max_value=600, initial=50
    )
    weeks = forms.IntegerField(
        label="Weekly sessions",
        min_value=1,
        max_value=104,
        initial=1,
        help_text="1 for a single session; more for a weekly series.",
    )

    def __init__(self, *args, practice, clinicians, **kwargs):
        super().__init__(*args, **kwargs)
        self.practice = practice
        self.fields["case"].queryset = Case.objects.filter(practice=practice)
        self.fields["clinician"].queryset = clinicians

    def start(self):
        """Return the start as an aware moment in the practice's zone."""
        data = self.cleaned_data
        naive = datetime.combine(data["date"], data["time"])
        return naive.replace(tzinfo=self.practice.zone)

    def duration(self):
        return timedelta(minutes=self.cleaned_data["minutes"])


class ClientDetailsForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = ["name", "email", "phone", "date_of_birth"]
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"})}


class PortalSettingsForm(forms.ModelForm):
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


class WorkingHoursForm(forms.Form):
    """A weekly template: one block per weekday, both times or neither."""

    def __init__(self, *args, hours=(), **kwargs):
        super().__init__(*args, **kwargs)
        first = {}
        for block in hours:
            first.setdefault(block.weekday, block)
        for weekday, name in enumerate(WEEKDAYS):
            block = first.get(weekday)
            for part, label in (("starts", "starts"), ("ends", "ends")):
                self.fields[f"{part}_{weekday}"] = forms.TimeField(
                    label=f"{name} {label}",
                    required=False,
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
            starts, ends = data.get(f"starts_{weekday}"), data.get(f"ends_{weekday}")
            if (starts is None) != (ends is None):
                self.add_error(f"ends_{weekday}", "Give both times, or neither.")
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
    status = forms.ChoiceField(
        label="Accept as",
        required=False,
        choices=[("", "As the allowance decides")] + AppointmentStatus.choices,
    )
    acknowledged = forms.BooleanField(required=False, widget=forms.HiddenInput)


class DeclineForm(forms.Form):
    message = forms.CharField(
        label="Message to the client (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
