"""Devices on the book, their categories and their lifecycle steps."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, transition
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage, person
from portal.scoping import DepartmentScopedQuerySet
from portal.workflow import StateField, not_same_person

from ..permissions import APPROVERS_ONLY, IT_ONLY, READ_ALL_ROLES
from .racks import Rack


class EquipmentCategory(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("equipment category")
        verbose_name_plural = _("equipment categories")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


def step(source, target, label, style="secondary", *, needs_comment=False, permission=IT_ONLY):
    """A lifecycle step of a device, IT's to take unless ``permission`` says otherwise; it moves only the device's
    own fields (inventory.services runs it, inventory.effects writes its ledger entry)."""
    return transition(
        field="status",
        source=source,
        target=target,
        permission=permission,
        custom={"label": label, "style": style, "needs_comment": needs_comment},
    )


class EquipmentQuerySet(DepartmentScopedQuerySet):
    read_all_roles = READ_ALL_ROLES

    def active(self):
        return self.exclude(status=Equipment.Status.SCRAPPED)


class Equipment(DetailPage, ConcurrentTransitionMixin, models.Model):
    class Status(models.TextChoices):
        IN_STOCK = "in_stock", _("In stock")
        IN_USE = "in_use", _("In service")
        UNDER_REPAIR = "under_repair", _("Under repair")
        SPARE = "spare", _("Spare")
        ON_LOAN = "on_loan", _("On loan")
        PENDING_SCRAP = "pending_scrap", _("Pending scrap")
        SCRAPPED = "scrapped", _("Scrapped")

    ASSET_PREFIX = "ZC"
    # States a device returns to after repair or a refused scrap request.
    RESUMABLE = (Status.IN_STOCK, Status.IN_USE, Status.SPARE, Status.UNDER_REPAIR)

    asset_no = models.CharField(_("asset number"), max_length=30, unique=True, editable=False)
    category = models.ForeignKey(
        EquipmentCategory, on_delete=models.PROTECT, related_name="equipment", verbose_name=_("category")
    )
    brand = models.CharField(_("brand"), max_length=50, blank=True)
    model_name = models.CharField(_("model"), max_length=100, blank=True)
    serial_no = models.CharField(_("serial number"), max_length=100, blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="equipment",
        verbose_name=_("using department"),
    )
    custodian = person(_("custodian"), optional=True, on_delete=models.SET_NULL, related_name="equipment_in_custody")
    building = models.CharField(_("building"), max_length=50, blank=True)
    floor = models.CharField(_("floor"), max_length=20, blank=True)
    room = models.CharField(_("room"), max_length=50, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    mac_address = models.CharField(_("MAC address"), max_length=17, blank=True)
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    price = models.DecimalField(_("price (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    supplier = models.CharField(_("supplier"), max_length=100, blank=True)
    warranty_end = models.DateField(_("warranty end date"), null=True, blank=True)
    status = StateField(_("status"), default=Status.IN_STOCK, choices=Status.choices, protected=True)
    resume_status = models.CharField(
        _("status to resume"), max_length=20, choices=Status.choices, blank=True, editable=False
    )
    scrap_requested_by = person(_("scrap requested by"), optional=True, editable=False)
    rack = models.ForeignKey(
        Rack, on_delete=models.PROTECT, null=True, blank=True, related_name="equipment", verbose_name=_("rack")
    )
    rack_unit = models.PositiveSmallIntegerField(_("starting U"), null=True, blank=True)
    height_u = models.PositiveSmallIntegerField(_("height (U)"), default=1)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = EquipmentQuerySet.as_manager()

    detail_url = "inventory:equipment_detail"

    class Meta:
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "category"], name="inv_eq_status_category"),
            models.Index(fields=["department", "status"], name="inv_eq_department_status"),
            models.Index(fields=["warranty_end"], name="inv_eq_warranty_end"),
            models.Index(fields=["serial_no"], name="inv_eq_serial_no"),
            models.Index(fields=["ip_address"], name="inv_eq_ip_address"),
            models.Index(fields=["building", "floor", "room"], name="inv_eq_location"),
            models.Index(fields=["custodian"], name="inv_eq_custodian"),
            models.Index(fields=["-created_at", "-id"], name="inv_eq_created"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["serial_no"],
                condition=~Q(serial_no=""),
                name="inventory_equipment_unique_serial",
                violation_error_message=_("Another device already has this serial number."),
            ),
            models.CheckConstraint(
                condition=Q(rack__isnull=True) | (Q(rack_unit__isnull=False) & Q(rack_unit__gte=1)),
                name="inventory_equipment_rack_unit_set",
                violation_error_message=_("A device in a rack needs its position (U, from 1)."),
            ),
            models.CheckConstraint(
                condition=Q(height_u__gte=1) & Q(height_u__lte=60),
                name="inventory_equipment_height_range",
                violation_error_message=_("A device is 1 to 60 U high."),
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0),
                name="inventory_equipment_price_not_negative",
                violation_error_message=_("The price cannot be negative."),
            ),
        ]

    def __str__(self):
        label = " ".join(part for part in (self.brand, self.model_name) if part)
        return f"{self.asset_no} {label}".strip()

    @property
    def in_warranty(self):
        return self.warranty_end is not None and self.warranty_end >= timezone.localdate()

    @property
    def is_spare(self):
        return self.status == self.Status.SPARE

    @property
    def place(self):
        """Where the device is, rack slot included, as its ledger entries record it."""
        return " ".join(part for part in (self.location, self.rack_position) if part)

    @property
    def location(self):
        return " ".join(part for part in (self.building, self.floor, self.room) if part)

    @property
    def rack_position(self):
        if not self.rack_id:
            return ""
        top = self.rack_unit + self.height_u - 1
        units = f"U{self.rack_unit}" if top == self.rack_unit else f"U{self.rack_unit}-U{top}"
        return f"{self.rack} {units}"

    @property
    def top_unit(self):
        return self.rack_unit + self.height_u - 1 if self.rack_unit else None

    def _leave_rack(self):
        self.rack = None
        self.rack_unit = None

    @step([Status.IN_STOCK, Status.SPARE], Status.IN_USE, _("Issue"), "primary")
    def issue(self, *, by, comment="", department, custodian=None, building="", floor="", room=""):
        self.department = department
        self.custodian = custodian
        self.building, self.floor, self.room = building, floor, room

    @step([Status.IN_STOCK, Status.IN_USE, Status.SPARE], Status.IN_USE, _("Install"), "primary")
    def install(self, *, by, comment="", department, building="", floor="", room="", rack=None, rack_unit=None):
        self.department = department
        self.building, self.floor, self.room = building, floor, room
        self.rack, self.rack_unit = rack, rack_unit

    @step(Status.IN_USE, Status.IN_USE, _("Transfer between departments"), "secondary")
    def transfer(self, *, by, comment="", department, custodian=None, building="", floor="", room=""):
        self.department = department
        self.custodian = custodian
        self.building, self.floor, self.room = building, floor, room
        self._leave_rack()

    @step(Status.IN_USE, Status.IN_STOCK, _("Swap"), "secondary")
    def swap(self, *, by, comment="", replacement):
        """Back to stock; ``replacement`` takes the device's place through its own ``swap_in``."""
        self.custodian = None
        self.department = None
        self._leave_rack()

    @step([Status.IN_STOCK, Status.SPARE], Status.IN_USE, _("Swap in"), "secondary")
    def swap_in(self, *, by, comment="", replaced):
        self.department = replaced.department
        self.custodian = replaced.custodian
        self.building, self.floor, self.room = replaced.building, replaced.floor, replaced.room
        self.ip_address = replaced.ip_address
        self.rack, self.rack_unit = replaced.rack, replaced.rack_unit

    @step(Status.IN_STOCK, Status.SPARE, _("Add to spare pool"), "secondary")
    def make_spare(self, *, by, comment=""):
        self.custodian = None

    @step(Status.SPARE, Status.IN_STOCK, _("Withdraw from spare pool"), "secondary")
    def withdraw_spare(self, *, by, comment=""):
        pass

    @step(Status.SPARE, Status.ON_LOAN, _("Lend"), "primary")
    def lend(self, *, by, comment=""):
        pass

    @step(Status.ON_LOAN, Status.SPARE, _("Return loan"), "primary")
    def loan_return(self, *, by, comment=""):
        pass

    @step(
        [Status.IN_STOCK, Status.IN_USE, Status.SPARE],
        Status.UNDER_REPAIR,
        _("Send to repair"),
        "warning",
        needs_comment=True,
    )
    def send_to_repair(self, *, by, comment=""):
        self.resume_status = self.status

    @step(
        Status.UNDER_REPAIR,
        RETURN_VALUE(Status.IN_STOCK, Status.IN_USE, Status.SPARE),
        _("Return from repair"),
        "success",
    )
    def return_from_repair(self, *, by, comment=""):
        resume, self.resume_status = self.resume_status or self.Status.IN_STOCK, ""
        return resume

    @step(
        [Status.IN_STOCK, Status.IN_USE, Status.SPARE, Status.UNDER_REPAIR],
        Status.PENDING_SCRAP,
        _("Request scrap"),
        "danger",
        needs_comment=True,
    )
    def request_scrap(self, *, by, comment=""):
        self.resume_status = self.status
        self.scrap_requested_by = by

    @step(
        Status.PENDING_SCRAP,
        Status.SCRAPPED,
        _("Approve scrap"),
        "danger",
        permission=APPROVERS_ONLY
        & not_same_person("scrap_requested_by", _("You cannot approve the scrap request you made yourself.")),
    )
    def approve_scrap(self, *, by, comment=""):
        self.custodian = None
        self.resume_status = ""
        self._leave_rack()

    @step(
        Status.PENDING_SCRAP,
        RETURN_VALUE(*RESUMABLE),
        _("Reject scrap"),
        "secondary",
        needs_comment=True,
        permission=APPROVERS_ONLY,
    )
    def reject_scrap(self, *, by, comment=""):
        resume, self.resume_status = self.resume_status or self.Status.IN_STOCK, ""
        self.scrap_requested_by = None
        return resume


class WarrantyReminder(models.Model):
    """One weekly warranty reminder per device and warranty date, so a rerun sends nothing twice."""

    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="+")
    warranty_end = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["equipment", "warranty_end"],
                name="inventory_warranty_reminded_once",
                violation_error_message=_("This warranty end has already been reminded."),
            ),
        ]
