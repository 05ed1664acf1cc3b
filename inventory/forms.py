from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, User
from portal.attachments import AttachmentField
from portal.forms import BoundedForm, BoundedModelForm
from portal.people import people

from . import import_mapping, importing
from .models import ConfigChange, Equipment, EquipmentCategory, ImportProfile, Rack, SpareLoan, Stocktake

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

EQUIPMENT_FIELDS = [
    "category",
    "brand",
    "model_name",
    "serial_no",
    "building",
    "floor",
    "room",
    "ip_address",
    "mac_address",
    "purchase_date",
    "price",
    "supplier",
    "warranty_end",
    "height_u",
    "notes",
]


def active_departments():
    return Department.objects.filter(is_active=True).order_by("code")


def active_users():
    return people().select_related("department").order_by("username")


class EquipmentForm(BoundedModelForm):
    attachments = AttachmentField(label=_("Photos and attachments"), required=False)

    class Meta:
        model = Equipment
        fields = EQUIPMENT_FIELDS
        widgets = {"purchase_date": DATE_INPUT, "warranty_end": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = EquipmentCategory.objects.filter(is_active=True)

    def clean_mac_address(self):
        mac = self.cleaned_data["mac_address"].strip().upper().replace("-", ":")
        if mac and (len(mac) != 17 or any(len(part) != 2 for part in mac.split(":"))):
            raise forms.ValidationError(_("Write the MAC address as six pairs, e.g. 3C:52:82:1A:2B:3C."))
        return mac

    def clean(self):
        cleaned = super().clean()
        bought, warranty = cleaned.get("purchase_date"), cleaned.get("warranty_end")
        if bought and warranty and warranty < bought:
            self.add_error("warranty_end", _("The warranty cannot end before the purchase date."))
        return cleaned


class RequiredCommentForm(BoundedForm):
    comment = forms.CharField(label=_("Reason for this step"), widget=forms.Textarea(attrs={"rows": 3}))


class LocationFields(BoundedForm):
    building = forms.CharField(label=_("building"), max_length=50, required=False)
    floor = forms.CharField(label=_("floor"), max_length=20, required=False)
    room = forms.CharField(label=_("room"), max_length=50, required=False)


class IssueForm(LocationFields):
    department = forms.ModelChoiceField(label=_("using department"), queryset=Department.objects.none())
    custodian = forms.ModelChoiceField(label=_("custodian"), queryset=User.objects.none(), required=False)
    comment = forms.CharField(label=_("Reason for this step"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    field_order = ["department", "custodian", "building", "floor", "room", "comment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = active_departments()
        self.fields["custodian"].queryset = active_users()

    def clean(self):
        cleaned = super().clean()
        custodian, department = cleaned.get("custodian"), cleaned.get("department")
        if custodian and department and custodian.department_id != department.pk:
            self.add_error("custodian", _("The custodian must belong to the using department."))
        return cleaned


class TransferForm(IssueForm):
    pass


class InstallForm(LocationFields):
    department = forms.ModelChoiceField(
        label=_("using department"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("Leave empty to keep the current department."),
    )
    rack = forms.ModelChoiceField(label=_("rack"), queryset=Rack.objects.all(), required=False)
    rack_unit = forms.IntegerField(label=_("starting U"), min_value=1, max_value=60, required=False)
    height_u = forms.IntegerField(label=_("height (U)"), min_value=1, max_value=60, required=False)
    comment = forms.CharField(label=_("Reason for this step"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    field_order = ["department", "building", "floor", "room", "rack", "rack_unit", "height_u", "comment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = active_departments()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("rack") and not cleaned.get("rack_unit"):
            self.add_error("rack_unit", _("Give the starting U for the rack position."))
        return cleaned


class SwapForm(BoundedForm):
    replacement = forms.ModelChoiceField(
        label=_("replacement device"),
        queryset=Equipment.objects.none(),
        help_text=_("A device in stock or in the spare pool; it takes the old one's place."),
    )
    comment = forms.CharField(label=_("Reason for this step"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replacement"].queryset = Equipment.objects.filter(
            status__in=[Equipment.Status.IN_STOCK, Equipment.Status.SPARE]
        ).select_related("category")


class RackForm(BoundedModelForm):
    class Meta:
        model = Rack
        fields = ["room", "name", "height_u", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class ConfigChangeForm(BoundedModelForm):
    class Meta:
        model = ConfigChange
        fields = ["kind", "description", "reason", "performed_at"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "reason": forms.Textarea(attrs={"rows": 2}),
            "performed_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }


class SpareLoanForm(BoundedModelForm):
    class Meta:
        model = SpareLoan
        fields = ["spare", "department", "borrower", "expected_return", "reason"]
        widgets = {"expected_return": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spare"].queryset = Equipment.objects.filter(status=Equipment.Status.SPARE).select_related(
            "category"
        )
        self.fields["department"].queryset = active_departments()
        self.fields["borrower"].queryset = active_users()

    def clean_expected_return(self):
        expected = self.cleaned_data["expected_return"]
        if expected < timezone.localdate():
            raise forms.ValidationError(_("The expected return date cannot be in the past."))
        return expected


class StocktakeForm(BoundedModelForm):
    class Meta:
        model = Stocktake
        fields = ["scope", "department", "building", "floor", "room", "custodian", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = active_departments()
        self.fields["custodian"].queryset = active_users()

    def clean(self):
        cleaned = super().clean()
        scope = cleaned.get("scope")
        if scope == Stocktake.Scope.DEPARTMENT and not cleaned.get("department"):
            self.add_error("department", _("Choose the department to count."))
        if scope == Stocktake.Scope.CUSTODIAN and not cleaned.get("custodian"):
            self.add_error("custodian", _("Choose the custodian whose register is counted."))
        if scope == Stocktake.Scope.LOCATION and not cleaned.get("building"):
            self.add_error("building", _("Give at least the building to count."))
        return cleaned


class CountForm(BoundedForm):
    asset_no = forms.CharField(
        label=_("asset number"),
        max_length=200,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "inputmode": "text"}),
    )
    found_location = forms.CharField(
        label=_("found in room"),
        max_length=200,
        required=False,
        help_text=_("Leave empty when the device is where the book says."),
    )
    recount = forms.BooleanField(
        label=_("Count again: replace the earlier count"), required=False, widget=forms.HiddenInput
    )

    def ask_to_recount(self):
        """The item was counted before: show the confirmation box (its error says what the earlier count was)."""
        self.fields["recount"].widget = forms.CheckboxInput()


class CloseStocktakeForm(BoundedForm):
    apply_corrections = forms.BooleanField(
        label=_("Move devices found elsewhere to the room where they were found"), required=False
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ImportUploadForm(BoundedForm):
    file = forms.FileField(label=_("Ledger file (CSV or XLSX)"))
    profile = forms.ModelChoiceField(
        label=_("Exported from"),
        queryset=ImportProfile.objects.all(),
        required=False,
        empty_label=_("Recognise it from the columns"),
        help_text=_("The choices made for the last file from the same source are filled in again."),
    )


class ImportMappingForm(BoundedForm):
    """The mapping page: columns, a default for what the file lacks, values to our lists, date and amount formats."""

    date_format = forms.ChoiceField(
        label=_("Dates in the file"), choices=ImportProfile.DateFormat.choices, required=False
    )
    decimal_separator = forms.ChoiceField(
        label=_("Amounts in the file"), choices=ImportProfile.DecimalSeparator.choices, required=False
    )

    def __init__(self, *args, batch, **kwargs):
        super().__init__(*args, **kwargs)
        self.batch = batch
        headers = [("", ""), *((header, header) for header in batch.headers)]
        for field, label in importing.COLUMNS.items():
            self.fields[f"map_{field}"] = forms.ChoiceField(label=label, choices=headers, required=False)
        for field in import_mapping.DEFAULT_FIELDS:
            label = importing.COLUMNS[field]
            if field in import_mapping.VALUE_FIELDS:
                ours = [(value, name) for value, name in import_mapping.targets(field) if value != import_mapping.NEW]
                self.fields[f"default_{field}"] = forms.ChoiceField(
                    label=label, choices=[("", ""), *ours], required=False
                )
            else:
                self.fields[f"default_{field}"] = forms.CharField(label=label, max_length=50, required=False)

    def clean(self):
        cleaned = super().clean()
        cleaned["mapping"] = {
            field: cleaned[f"map_{field}"] for field in importing.COLUMNS if cleaned.get(f"map_{field}")
        }
        cleaned["defaults"] = {
            field: cleaned[f"default_{field}"].strip()
            for field in import_mapping.DEFAULT_FIELDS
            if cleaned.get(f"default_{field}", "").strip()
        }
        # Each distinct value comes as a source_<field> / target_<field> pair; '' forgets a remembered match.
        cleaned["value_map"] = {}
        for field in import_mapping.VALUE_FIELDS:
            allowed = {"", *(value for value, _label in import_mapping.targets(field))}
            pairs = zip(self.data.getlist(f"source_{field}"), self.data.getlist(f"target_{field}"), strict=False)
            cleaned["value_map"][field] = {source: target for source, target in pairs if target in allowed}
        cleaned["date_format"] = cleaned.get("date_format") or self.batch.date_format
        cleaned["decimal_separator"] = cleaned.get("decimal_separator") or self.batch.decimal_separator
        return cleaned

    def settings(self):
        """The keyword arguments of importing.import_configure."""
        keys = ("mapping", "value_map", "defaults", "date_format", "decimal_separator")
        return {key: self.cleaned_data[key] for key in keys}
