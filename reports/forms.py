from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.forms import BoundedForm

from .models import ReportArchive
from .periods import Kind, Period

MAX_CUSTOM_DAYS = 3660


def department_model():
    """The department model, reached through the archive's foreign key so that portal core imports no app."""
    return ReportArchive._meta.get_field("department").related_model


class PeriodForm(BoundedForm):
    """Report type and period; only the fields the chosen type needs are read."""

    kind = forms.ChoiceField(label=_("Report type"), choices=Kind.choices, initial=Kind.MONTHLY)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, required=False, choices=[(m, m) for m in range(1, 13)])
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), coerce=int, required=False, choices=[(q, q) for q in range(1, 5)]
    )
    half = forms.TypedChoiceField(
        label=_("Half-year"), coerce=int, required=False, choices=[(1, _("first half")), (2, _("second half"))]
    )
    day = forms.DateField(label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=None, required=False, empty_label=_("Whole hospital")
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = (
            departments if departments is not None else department_model().objects.all()
        )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Kind.CUSTOM:
            start, end = data.get("start"), data.get("end")
            if not start:
                self.add_error("start", _("Choose the first day."))
            if not end:
                self.add_error("end", _("Choose the last day."))
            if start and end:
                if end < start:
                    self.add_error("end", _("The last day is before the first day."))
                elif (end - start).days > MAX_CUSTOM_DAYS:
                    self.add_error("end", _("A custom period is at most ten years long."))
                else:
                    data["period"] = Period.custom(start, end)
            return data
        if kind == Kind.DAILY:
            if not data.get("day"):
                self.add_error("day", _("Choose the day."))
            else:
                data["period"] = Period.daily(data["day"])
            return data
        if kind and not data.get("year"):
            self.add_error("year", _("Choose the year."))
            return data
        number_field = {Kind.MONTHLY: "month", Kind.QUARTERLY: "quarter", Kind.HALF_YEARLY: "half"}.get(kind)
        number = data.get(number_field) if number_field else 1
        if number_field and not number:
            self.add_error(number_field, _("Choose which one."))
            return data
        if kind:
            data["period"] = Period.of(kind, data["year"], number)
        return data


def initial_for(period: Period) -> dict:
    initial = {
        "kind": period.kind,
        "year": period.start.year,
        "day": period.start,
        "start": period.start,
        "end": period.end,
    }
    field = {Kind.MONTHLY: "month", Kind.QUARTERLY: "quarter", Kind.HALF_YEARLY: "half"}.get(period.kind)
    if field:
        initial[field] = period.number
    return initial


def quick_periods(today: date | None = None) -> list[tuple[str, Period]]:
    """The picker's shortcuts: the last finished daily report, month, quarter, half-year and year."""
    today = today or timezone.localdate()
    return [
        (_("Last daily report"), Period.last_completed(Kind.DAILY, today)),
        (_("Last month"), Period.last_completed(Kind.MONTHLY, today)),
        (_("Last quarter"), Period.last_completed(Kind.QUARTERLY, today)),
        (_("Last half-year"), Period.last_completed(Kind.HALF_YEARLY, today)),
        (_("Last year"), Period.last_completed(Kind.ANNUAL, today)),
    ]
