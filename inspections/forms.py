from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.attachments import AttachmentField
from portal.forms import BoundedForm, BoundedModelForm
from portal.people import people_with

from .models import InspectionTemplate, ItemRemoval, MachineRoom, RoundResult, TemplateItem, Visit
from .permissions import RECORDERS
from .policy import forbidden_in


class MachineRoomForm(BoundedModelForm):
    class Meta:
        model = MachineRoom
        fields = [
            "name",
            "location",
            "commissioned_on",
            "temperature_min",
            "temperature_max",
            "humidity_min",
            "humidity_max",
            "reminder_time",
            "deadline_time",
            "is_active",
        ]
        widgets = {
            "commissioned_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "reminder_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "deadline_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def clean(self):
        cleaned = super().clean()
        pairs = (
            ("temperature_min", "temperature_max", _("The lowest temperature must be below the highest.")),
            ("humidity_min", "humidity_max", _("The lowest humidity must be below the highest.")),
            ("reminder_time", "deadline_time", _("The reminder time must be before the end-of-day time.")),
        )
        for low, high, message in pairs:
            if cleaned.get(low) is not None and cleaned.get(high) is not None and cleaned[low] >= cleaned[high]:
                self.add_error(high, message)
        return cleaned


class TemplateForm(BoundedModelForm):
    change_note = forms.CharField(label=_("What changed"), max_length=200)

    class Meta:
        model = InspectionTemplate
        fields = ["name", "is_active"]


class TemplateItemForm(BoundedModelForm):
    class Meta:
        model = TemplateItem
        fields = ["group", "label", "kind", "measure", "unit", "low_limit", "high_limit"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == TemplateItem.Kind.READING and not cleaned.get("measure"):
            self.add_error("measure", _("A reading needs to say what it measures."))
        low, high = cleaned.get("low_limit"), cleaned.get("high_limit")
        if low is not None and high is not None and low >= high:
            self.add_error("high_limit", _("The upper limit must be above the lower limit."))
        return cleaned


class BaseTemplateItemFormSet(forms.BaseFormSet):
    """Items are edited as table rows, so each widget carries its Bootstrap class instead of a crispy layout."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, field in form.fields.items():
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            if form.is_bound and name in form.errors:
                css += " is-invalid"
            field.widget.attrs["class"] = css
            field.widget.attrs["aria-label"] = field.label


TemplateItemFormSet = forms.formset_factory(
    TemplateItemForm, formset=BaseTemplateItemFormSet, extra=2, can_delete=True, can_order=True
)


class RoundResultForm(BoundedForm):
    """One item on the phone round form; ``submitting`` makes every item and every abnormality's description required."""

    status = forms.ChoiceField(
        label=_("Result"), choices=RoundResult.Status.choices, widget=forms.RadioSelect, required=False
    )
    value = forms.DecimalField(
        label=_("Reading"),
        max_digits=7,
        decimal_places=1,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
    )
    description = forms.CharField(
        label=_("Description of the abnormality"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    photos = AttachmentField(label=_("Photo"), required=False)

    def __init__(self, *args, result, submitting=False, **kwargs):
        self.result = result
        self.submitting = submitting
        kwargs.setdefault(
            "initial", {"status": result.status, "value": result.value, "description": result.description}
        )
        super().__init__(*args, prefix=f"r{result.pk}", **kwargs)
        self.fields["photos"].widget.attrs["accept"] = "image/*"

    def clean(self):
        cleaned = super().clean()
        result = self.result
        if result.is_reading:
            value = cleaned.get("value")
            if value is None and self.submitting and "value" not in self.errors:
                self.add_error("value", _("Enter the reading."))
            out_of_range = value is not None and (
                (result.low_limit is not None and value < result.low_limit)
                or (result.high_limit is not None and value > result.high_limit)
            )
            needs_description = out_of_range
            if out_of_range and self.submitting and not cleaned.get("description", "").strip():
                self.add_error(
                    "description",
                    _("%(value)s is outside the allowed %(limits)s: describe the situation before submitting.")
                    % {"value": f"{value.normalize():f}", "limits": result.limits_label},
                )
                return cleaned
        else:
            if not cleaned.get("status") and self.submitting:
                self.add_error("status", _("Mark the item normal or abnormal."))
            needs_description = cleaned.get("status") == RoundResult.Status.ABNORMAL
        if needs_description and self.submitting and not cleaned.get("description", "").strip():
            self.add_error("description", _("Describe the abnormality before submitting."))
        return cleaned


class CorrectionForm(BoundedForm):
    result = forms.ModelChoiceField(label=_("Item"), queryset=RoundResult.objects.none())
    status = forms.ChoiceField(label=_("Result"), choices=[("", "—"), *RoundResult.Status.choices], required=False)
    value = forms.DecimalField(label=_("Reading"), max_digits=7, decimal_places=1, required=False)
    description = forms.CharField(
        label=_("Description of the abnormality"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].queryset = inspection.results.select_related("item")
        self.fields["result"].label_from_instance = lambda result: result.item.label

    def clean(self):
        cleaned = super().clean()
        result = cleaned.get("result")
        if result is None:
            return cleaned
        if result.is_reading and cleaned.get("value") is None:
            self.add_error("value", _("Enter the corrected reading."))
        if not result.is_reading and not cleaned.get("status"):
            self.add_error("status", _("Choose normal or abnormal."))
        return cleaned


class AbnormalityCloseForm(BoundedForm):
    resolution = forms.CharField(label=_("How it was resolved"), widget=forms.Textarea(attrs={"rows": 3}))


class VisitForm(BoundedModelForm):
    days_ahead = {"visit_date": 1}  # registered for today or tomorrow

    class Meta:
        model = Visit
        fields = ["room", "visit_date", "visitor_name", "organisation", "id_number", "purpose", "items_brought"]
        widgets = {"visit_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    told_of_forbidden = forms.BooleanField(
        label=_("The visitor has been told that these items may not be brought into the machine room"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = MachineRoom.objects.filter(is_active=True)
        self.fields["visit_date"].initial = timezone.localdate()

    def clean_visit_date(self):
        day = self.cleaned_data["visit_date"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("A visit is registered for today or a later day."))
        return day

    def clean(self):
        cleaned = super().clean()
        found = forbidden_in(cleaned.get("items_brought") or "")
        if found and not cleaned.get("told_of_forbidden"):
            self.add_error(
                "items_brought",
                _(
                    "By the machine-room access rules (机房访问制度 5) these may not be brought into the machine "
                    "room: %(items)s. Tell the visitor, then tick the box below to register the visit."
                )
                % {"items": "、".join(str(item) for item in found)},
            )
        return cleaned


class ItemRemovalForm(BoundedModelForm):
    days_ahead = {"planned_on": 7}

    class Meta:
        model = ItemRemoval
        fields = ["room", "planned_on", "item", "asset_number", "quantity", "carrier", "carrier_organisation", "reason"]
        widgets = {"planned_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = MachineRoom.objects.filter(is_active=True)
        self.fields["planned_on"].initial = timezone.localdate()

    def clean_planned_on(self):
        day = self.cleaned_data["planned_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("An item is registered before it is carried out: today or a later day."))
        return day


class CheckInForm(BoundedForm):
    escort = forms.ModelChoiceField(label=_("Escort from the IT department"), queryset=get_user_model().objects.none())
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["escort"].queryset = people_with(*RECORDERS).order_by("username")


class CommentForm(BoundedForm):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))
