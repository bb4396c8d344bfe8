from datetime import date

from django import forms

from clients.models import CaseKind
from practices.models import StaffMember, StaffRole


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=1900, max_value=2999, required=False)
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


class PeriodForm(forms.Form):
    start = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError("The period ends before it starts.")
        return data


class SimulatorForm(PeriodForm):
    allowances = forms.CharField(
        initial="0,2,4,6,8,12", help_text="Allowances to compare, comma-separated."
    )
    no_shows = forms.BooleanField(required=False, label="Treat no-shows as absences")
    fee = forms.DecimalField(
        required=False,
        min_value=0,
        decimal_places=2,
        help_text="Price every session at this fee instead of its recorded fee.",
    )

    def clean_allowances(self):
        try:
            values = [int(v) for v in self.cleaned_data["allowances"].split(",")]
        except ValueError:
            raise forms.ValidationError("Use whole numbers, e.g. 0,3,6.") from None
        if not values or len(values) > 12 or min(values) < 0 or max(values) > 52:
            raise forms.ValidationError("Between 1 and 12 allowances of 0 to 52.")
        return list(dict.fromkeys(values))


def year_start(today):
    return date(today.year, 1, 1)
