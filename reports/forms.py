from datetime import date

from django import forms

from clients.models import CaseKind
from practices.models import StaffMember, StaffRole

from .periods import EARLIEST, LATEST

# "1 Jan 2000": the reports' date format (see templates' "D j M Y").
FIRST, LAST = (f"{d.day} {d:%b %Y}" for d in (EARLIEST, LATEST))

MAX_ALLOWANCE = 52
MAX_ALLOWANCES = 12


class YearForm(forms.Form):
    year = forms.IntegerField(
        min_value=EARLIEST.year,
        max_value=LATEST.year,
        required=False,
        error_messages={
            key: f"Choose a year between {EARLIEST.year} and {LATEST.year}."
            for key in ("min_value", "max_value")
        },
    )
    clinician = forms.ModelChoiceField(
        queryset=StaffMember.objects.none(),
        required=False,
        empty_label="Every clinician",
    )

    def __init__(self, data, *, practice, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["clinician"].queryset = StaffMember.objects.filter(
            practice=practice, role=StaffRole.CLINICIAN
        )


class UsageForm(YearForm):
    kind = forms.ChoiceField(
        choices=[("", "Every kind"), *CaseKind.choices], required=False
    )


def _day_field():
    return forms.DateField(
        widget=forms.DateInput(
            attrs={
                "type": "date",
                "min": f"{EARLIEST:%Y-%m-%d}",
                "max": f"{LATEST:%Y-%m-%d}",
            }
        ),
        help_text=f"Between {FIRST} and {LAST}.",
    )


class PeriodForm(forms.Form):
    start = _day_field()
    end = _day_field()

    def clean(self):
        data = super().clean()
        for name in ("start", "end"):
            day = data.get(name)
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(name, f"Choose a day between {FIRST} and {LAST}.")
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError("The period ends before it starts.")
        return data


class SimulatorForm(PeriodForm):
    """The simulator's options; the page and `simulate_allowance` share it."""

    allowances = forms.CharField(
        initial="0,2,4,6,8,12", help_text="Allowances to compare, comma-separated."
    )
    no_shows = forms.BooleanField(required=False, label="Treat no-shows as absences")
    fee = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text="Price every session at this fee instead of its recorded fee.",
    )

    def clean_allowances(self):
        try:
            values = [int(v) for v in self.cleaned_data["allowances"].split(",")]
        except ValueError:
            raise forms.ValidationError("Use whole numbers, e.g. 0,3,6.") from None
        if (
            not values
            or len(values) > MAX_ALLOWANCES
            or min(values) < 0
            or max(values) > MAX_ALLOWANCE
        ):
            raise forms.ValidationError(
                f"Between 1 and {MAX_ALLOWANCES} allowances of 0 to {MAX_ALLOWANCE}."
            )
        return list(dict.fromkeys(values))


def year_start(today):
    return date(today.year, 1, 1)
