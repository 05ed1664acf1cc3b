from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, User
from inventory.models import Equipment
from portal.attachments import AttachmentField
from portal.forms import BoundedForm, BoundedModelForm
from portal.people import people_with
from portal.roles import IT_ROLES

from .models import FailureReport, FaultCategory, FaultClass, RepairSettings, RepairTicket, Vendor
from .permissions import may_work_tickets
from .vendors import photo_refusal

SATISFACTION_CHOICES = [
    (5, _("5 – very satisfied")),
    (4, _("4 – satisfied")),
    (3, _("3 – acceptable")),
    (2, _("2 – dissatisfied")),
    (1, _("1 – very dissatisfied")),
]


def asset_no_from_scan(text: str) -> str:
    """A label's QR holds the device page URL ending in the asset number; a typed number is taken as is."""
    text = (text or "").strip()
    if "/asset/" in text:
        text = text.rstrip("/").rsplit("/", 1)[-1]
    return text.upper()


# PartRequestLine.quantity is a PositiveSmallIntegerField: PostgreSQL stores no more.
MAX_PART_QUANTITY = 32767
# A device on its way out of the ledger is replaced, not repaired.
UNREPAIRABLE_STATUSES = (Equipment.Status.PENDING_SCRAP, Equipment.Status.SCRAPPED)


def unrepairable_reason(equipment):
    """Why no ticket may be filed for this device, or None: the device page hides 报修 on the same rule."""
    if equipment.status in UNREPAIRABLE_STATUSES:
        return _("%(asset)s is %(status)s: a scrapped device is not repaired.") % {
            "asset": equipment.asset_no,
            "status": equipment.get_status_display(),
        }
    return None


def it_handlers():
    return people_with(*IT_ROLES)


class TicketForm(BoundedForm):
    """报修: what a staff member fills in under a minute."""

    takes_user = True
    creates = RepairTicket

    department = forms.ModelChoiceField(label=_("department"), queryset=Department.objects.none())
    contact_phone = forms.CharField(label=_("contact phone"), max_length=30)
    asset_no = forms.CharField(
        label=_("asset number"),
        max_length=200,
        required=False,
        help_text=_("Scan the QR label or type the number printed under it."),
    )
    equipment = forms.ModelChoiceField(label=_("device"), queryset=Equipment.objects.none(), required=False)
    device_description = forms.CharField(
        label=_("device (when not in the ledger)"),
        max_length=200,
        required=False,
        help_text=_("Only when the device has no label or is not in the list."),
    )
    location = forms.CharField(label=_("location"), max_length=100, required=False)
    category = forms.ChoiceField(label=_("fault category"), choices=FaultCategory.choices)
    fault_class = forms.ChoiceField(label=_("fault class"), choices=[("", "—"), *FaultClass.choices], required=False)
    description = forms.CharField(label=_("fault description"), widget=forms.Textarea(attrs={"rows": 4}))
    photos = AttachmentField(label=_("photos"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.is_it = may_work_tickets(user)
        departments = Department.objects.filter(is_active=True).order_by("code")
        if not self.is_it:
            departments = departments.filter(pk=user.department_id)
            self.fields["department"].disabled = True
            del self.fields["fault_class"]
        self.fields["department"].queryset = departments
        self.fields["department"].initial = user.department_id
        self.fields["contact_phone"].initial = user.phone
        department_id = self._department_id()
        self.fields["equipment"].queryset = (
            Equipment.objects.exclude(status__in=UNREPAIRABLE_STATUSES)
            .filter(department_id=department_id)
            .order_by("asset_no")
            if department_id
            else Equipment.objects.none()
        )

    def _department_id(self):
        if self.is_bound and self.is_it:
            try:  # the field's own check: "²" passes isdigit() but names no department
                department = self.fields["department"].clean(self.data.get(self.add_prefix("department")))
            except ValidationError:
                return None
            return department.pk if department else None
        return self.initial.get("department") or self.user.department_id

    def clean_asset_no(self):
        return asset_no_from_scan(self.cleaned_data["asset_no"])

    def clean(self):
        cleaned = super().clean()
        asset_no = cleaned.get("asset_no")
        if asset_no and not cleaned.get("equipment"):
            device = Equipment.objects.visible_to(self.user).filter(asset_no=asset_no).first()
            if device is None:
                self.add_error("asset_no", _("No device with this asset number on your department's ledger."))
            else:
                cleaned["equipment"] = device
        device = cleaned.get("equipment")
        if device is not None:
            self._refuse_device(device, "asset_no" if asset_no else "equipment")
        if (
            not cleaned.get("equipment")
            and not cleaned.get("device_description", "").strip()
            and "asset_no" not in self.errors
        ):
            self.add_error("device_description", _("Choose the device, scan its label, or describe it."))
        return cleaned

    def _refuse_device(self, device, field):
        reason = unrepairable_reason(device)
        open_ticket = RepairTicket.objects.open().filter(equipment=device).first()
        if reason is None and open_ticket is not None:
            reason = format_html(
                _("This device already has an open repair ticket {ticket}."),
                ticket=format_html('<a href="{}">{}</a>', open_ticket.get_absolute_url(), open_ticket.number),
            )
        if reason is not None:
            self.add_error(field, reason)


class ReasonForm(BoundedForm):
    comment = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


def override_reason_field():
    """The IT head's reason for the path the warranty does not choose (硬件设备维修制度 3)."""
    return forms.CharField(
        label=_("reason for overriding the warranty's path"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Only the IT head, and only when the warranty chooses the other path."),
    )


class PartsRequestForm(BoundedForm):
    """The comment of a parts wait; the parts themselves are the lines of :data:`PartLineFormSet`."""

    comment = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    override_reason = override_reason_field()


class DispatchForm(BoundedForm):
    assignee = forms.ModelChoiceField(label=_("handler"), queryset=User.objects.none())
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = it_handlers()


class WaitVendorForm(BoundedForm):
    """等待厂家: a registered vendor, whose engineers then attend the ticket, or the name of one not registered."""

    takes_object = True

    vendor_company = forms.ModelChoiceField(
        label=_("registered vendor"),
        queryset=Vendor.objects.filter(is_active=True),
        required=False,
        help_text=_("Its engineers see this ticket and may add notes and photos until it is done."),
    )
    vendor = forms.CharField(
        label=_("vendor"), max_length=100, required=False, help_text=_("Only for a vendor not registered.")
    )
    rma_no = forms.CharField(label=_("RMA number"), max_length=50, required=False)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    override_reason = override_reason_field()

    def __init__(self, *args, instance_object, **kwargs):
        super().__init__(*args, **kwargs)
        supplier = instance_object.equipment.supplier if instance_object.equipment_id else ""
        registered = Vendor.objects.filter(is_active=True, name=supplier).first() if supplier else None
        if registered is not None:
            self.fields["vendor_company"].initial = registered.pk
        else:
            self.fields["vendor"].initial = supplier

    def clean(self):
        data = super().clean()
        if data.get("vendor_company") is None and not (data.get("vendor") or "").strip():
            raise ValidationError(_("Choose the registered vendor, or name the vendor."))
        return data


class PartLineForm(BoundedForm):
    """One requested part; what the database cannot store is refused next to the field, not after it."""

    part = forms.CharField(label=_("part"), max_length=100, required=False)
    quantity = forms.IntegerField(label=_("quantity"), min_value=1, max_value=MAX_PART_QUANTITY, initial=1)
    unit_cost = forms.DecimalField(label=_("unit cost (yuan)"), min_value=0, max_digits=10, decimal_places=2, initial=0)


PartLineFormSet = forms.formset_factory(PartLineForm, extra=3, max_num=10)


class RepairForm(BoundedForm):
    cause = forms.CharField(label=_("cause"), widget=forms.Textarea(attrs={"rows": 2}))
    action_taken = forms.CharField(label=_("action taken"), widget=forms.Textarea(attrs={"rows": 2}))
    parts_used = forms.CharField(label=_("parts used"), max_length=200, required=False)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    override_reason = override_reason_field()


class ConfirmForm(BoundedForm):
    satisfaction = forms.TypedChoiceField(
        label=_("satisfaction"),
        choices=SATISFACTION_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how satisfied you are with the repair.")},
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReclassifyForm(BoundedForm):
    fault_class = forms.ChoiceField(label=_("fault class"), choices=FaultClass.choices)
    comment = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class LendSpareForm(BoundedForm):
    spare = forms.ModelChoiceField(label=_("spare machine"), queryset=Equipment.objects.none())
    expected_return = forms.DateField(
        label=_("expected return"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spare"].queryset = Equipment.objects.filter(status=Equipment.Status.SPARE).select_related(
            "category"
        )
        self.fields["expected_return"].initial = timezone.localdate() + timedelta(days=7)


class KeepSpareForm(BoundedForm):
    reason = forms.CharField(label=_("reason for the swap"), widget=forms.Textarea(attrs={"rows": 3}))


class FailureReportForm(BoundedModelForm):
    class Meta:
        model = FailureReport
        fields = ["cause", "timeline", "measures"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


class RepairSettingsForm(BoundedModelForm):
    class Meta:
        model = RepairSettings
        fields = [
            "class1_response_minutes", "class1_repair_minutes", "class2_response_minutes", "class2_repair_minutes",
            "class3_response_minutes", "class3_repair_minutes", "other_response_minutes", "other_repair_minutes",
            "confirm_reminder_days", "confirm_escalation_days", "insurance_departments",
            "fallback_30m_departments", "fallback_6h_departments", "fallback_24h_departments",
        ]  # fmt: skip
        widgets = dict.fromkeys(
            (
                "insurance_departments",
                "fallback_30m_departments",
                "fallback_6h_departments",
                "fallback_24h_departments",
            ),
            forms.CheckboxSelectMultiple,
        )


class VendorForm(BoundedModelForm):
    class Meta:
        model = Vendor
        fields = ["name", "contact", "phone", "is_active"]


class EngineerForm(BoundedForm):
    """A vendor engineer's login: IT gives the initial password, the engineer changes it at the first sign-in."""

    username = forms.CharField(label=_("user name"), max_length=150)
    full_name = forms.CharField(label=_("full name"), max_length=50)
    phone = forms.CharField(label=_("phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("e-mail"), required=False)
    password = forms.CharField(
        label=_("initial password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Tell it to the engineer in person; they change it at their first sign-in."),
    )


class PhotoField(AttachmentField):
    """Photos only: the type read from the bytes, anything else refused next to the field."""

    def clean(self, data, initial=None):
        files = super().clean(data, initial)
        for upload in files:
            refusal = photo_refusal(upload)
            if refusal:
                raise ValidationError(refusal)
        return files


class VendorNoteForm(BoundedForm):
    text = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    photos = PhotoField(label=_("photos"), required=False)
