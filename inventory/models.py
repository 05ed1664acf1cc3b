"""The equipment ledger: devices, their life story, racks, configuration changes, spare loans and stocktakes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, transition
from simple_history.models import HistoricalRecords

from portal.permissions import DepartmentScopedQuerySet
from portal.roles import Role, has_role
from portal.workflow import StateField, not_same_person, role_required

LEDGER_ROLES = (Role.IT_OFFICER, Role.IT_HEAD)
# Who reads the whole ledger; everybody else reads their own department's devices.
READ_ALL_ROLES = (Role.IT_OFFICER, Role.IT_HEAD, Role.AUDITOR)


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


class Rack(models.Model):
    room = models.CharField(_("machine room"), max_length=50)
    name = models.CharField(_("rack"), max_length=30)
    height_u = models.PositiveSmallIntegerField(_("height (U)"), default=42)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rack")
        verbose_name_plural = _("racks")
        ordering = ["room", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "name"],
                name="inventory_rack_unique_name_in_room",
                violation_error_message=_("This room already has a rack of this name."),
            ),
            models.CheckConstraint(
                condition=Q(height_u__gte=1) & Q(height_u__lte=60),
                name="inventory_rack_height_range",
                violation_error_message=_("A rack is 1 to 60 U high."),
            ),
        ]

    def __str__(self):
        return f"{self.room} / {self.name}"

    def get_absolute_url(self):
        return reverse("inventory:rack_detail", args=[self.pk])


class EquipmentQuerySet(DepartmentScopedQuerySet):
    read_all_roles = READ_ALL_ROLES

    def active(self):
        return self.exclude(status=Equipment.Status.SCRAPPED)


class Equipment(ConcurrentTransitionMixin, models.Model):
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
    custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="equipment_in_custody",
        verbose_name=_("custodian"),
    )
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
    scrap_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("scrap requested by"),
    )
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

    def get_absolute_url(self):
        return reverse("inventory:equipment_detail", args=[self.pk])

    @property
    def in_warranty(self):
        return self.warranty_end is not None and self.warranty_end >= timezone.localdate()

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

    # Transitions: the service layer (inventory.services) runs them through portal.workflow.perform
    # and writes the ledger entry; the methods only move the fields that belong to the step.

    @transition(
        field=status,
        source=[Status.IN_STOCK, Status.SPARE],
        target=Status.IN_USE,
        permission=role_required(*LEDGER_ROLES),
        custom={"label": _("Issue"), "style": "primary"},
    )
    def issue(self, *, by, comment="", department, custodian=None, building="", floor="", room=""):
        self.department = department
        self.custodian = custodian
        self.building, self.floor, self.room = building, floor, room

    @transition(
        field=status,
        source=[Status.IN_STOCK, Status.IN_USE, Status.SPARE],
        target=Status.IN_USE,
        permission=role_required(*LEDGER_ROLES),
        custom={"label": _("Install"), "style": "primary"},
    )
    def install(self, *, by, comment="", department, building="", floor="", room="", rack=None, rack_unit=None):
        self.department = department
        self.building, self.floor, self.room = building, floor, room
        self.rack, self.rack_unit = rack, rack_unit

    @transition(
        field=status,
        source=Status.IN_USE,
        target=Status.IN_USE,
        permission=role_required(*LEDGER_ROLES),
        custom={"label": _("Transfer between departments"), "style": "secondary"},
    )
    def transfer(self, *, by, comment="", department, custodian=None, building="", floor="", room=""):
        self.department = department
        self.custodian = custodian
        self.building, self.floor, self.room = building, floor, room
        self._leave_rack()

    @transition(
        field=status,
        source=Status.IN_USE,
        target=Status.IN_STOCK,
        permission=role_required(*LEDGER_ROLES),
        custom={"label": _("Swap"), "style": "secondary"},
    )
    def swap(self, *, by, comment=""):
        self.custodian = None
        self.department = None
        self._leave_rack()

    @transition(
        field=status,
        source=[Status.IN_STOCK, Status.SPARE],
        target=Status.IN_USE,
        permission=role_required(*LEDGER_ROLES),
        custom={"label": _("Swap in"), "style": "secondary"},
    )
    def swap_in(self, *, by, comment="", replaced):
        self.department = replaced.department
        self.custodian = replaced.custodian
        self.building, self.floor, self.room = replaced.building, replaced.floor, replaced.room
        self.ip_address = replaced.ip_address

    @transition(
        field=status,
        source=Status.IN_STOCK,
        target=Status.SPARE,
        permission=role_required(*LEDGER_ROLES),
        custom={"label": _("Add to spare pool"), "style": "secondary"},
    )
    def make_spare(self, *, by, comment=""):
        self.custodian = None

    @transition(
        field=status,
        source=Status.SPARE,
        target=Status.IN_STOCK,
        permission=role_required(*LEDGER_ROLES),
        custom={"label": _("Withdraw from spare pool"), "style": "secondary"},
    )
    def withdraw_spare(self, *, by, comment=""):
        pass

    @transition(
        field=status,
        source=Status.SPARE,
        target=Status.ON_LOAN,
        permission=role_required(*LEDGER_ROLES),
        custom={"label": _("Lend"), "style": "primary"},
    )
    def lend(self, *, by, comment=""):
        pass

    @transition(
        field=status,
        source=Status.ON_LOAN,
        target=Status.SPARE,
        permission=role_required(*LEDGER_ROLES),
        custom={"label": _("Return loan"), "style": "primary"},
    )
    def loan_return(self, *, by, comment=""):
        pass

    @transition(
        field=status,
        source=[Status.IN_STOCK, Status.IN_USE, Status.SPARE],
        target=Status.UNDER_REPAIR,
        permission=role_required(*LEDGER_ROLES),
        custom={"label": _("Send to repair"), "style": "warning", "needs_comment": True},
    )
    def send_to_repair(self, *, by, comment=""):
        self.resume_status = self.status

    @transition(
        field=status,
        source=Status.UNDER_REPAIR,
        target=RETURN_VALUE(Status.IN_STOCK, Status.IN_USE, Status.SPARE),
        permission=role_required(*LEDGER_ROLES),
        custom={"label": _("Return from repair"), "style": "success"},
    )
    def return_from_repair(self, *, by, comment=""):
        resume, self.resume_status = self.resume_status or self.Status.IN_STOCK, ""
        return resume

    @transition(
        field=status,
        source=[Status.IN_STOCK, Status.IN_USE, Status.SPARE, Status.UNDER_REPAIR],
        target=Status.PENDING_SCRAP,
        permission=role_required(*LEDGER_ROLES),
        custom={"label": _("Request scrap"), "style": "danger", "needs_comment": True},
    )
    def request_scrap(self, *, by, comment=""):
        self.resume_status = self.status
        self.scrap_requested_by = by

    @transition(
        field=status,
        source=Status.PENDING_SCRAP,
        target=Status.SCRAPPED,
        permission=role_required(Role.IT_HEAD)
        & not_same_person("scrap_requested_by", _("You cannot approve the scrap request you made yourself.")),
        custom={"label": _("Approve scrap"), "style": "danger"},
    )
    def approve_scrap(self, *, by, comment=""):
        self.custodian = None
        self.resume_status = ""
        self._leave_rack()

    @transition(
        field=status,
        source=Status.PENDING_SCRAP,
        target=RETURN_VALUE(*RESUMABLE),
        permission=role_required(Role.IT_HEAD),
        custom={"label": _("Reject scrap"), "style": "secondary", "needs_comment": True},
    )
    def reject_scrap(self, *, by, comment=""):
        resume, self.resume_status = self.resume_status or self.Status.IN_STOCK, ""
        self.scrap_requested_by = None
        return resume


class LedgerEntry(models.Model):
    """One step in a device's life, as the policy's ledger records it: who, when, from/to where, why."""

    class Kind(models.TextChoices):
        REGISTER = "register", _("Registered")
        ISSUE = "issue", _("Issued")
        INSTALL = "install", _("Installed")
        SWAP_OUT = "swap_out", _("Swapped out")
        SWAP_IN = "swap_in", _("Swapped in")
        TRANSFER = "transfer", _("Transferred")
        SEND_TO_REPAIR = "send_to_repair", _("Sent to repair")
        RETURN_FROM_REPAIR = "return_from_repair", _("Returned from repair")
        MAKE_SPARE = "make_spare", _("Added to spare pool")
        WITHDRAW_SPARE = "withdraw_spare", _("Withdrawn from spare pool")
        LEND = "lend", _("Lent")
        LOAN_RETURN = "loan_return", _("Loan returned")
        REQUEST_SCRAP = "request_scrap", _("Scrap requested")
        APPROVE_SCRAP = "approve_scrap", _("Scrapped")
        REJECT_SCRAP = "reject_scrap", _("Scrap request rejected")
        CONFIG_CHANGE = "config_change", _("Configuration changed")
        STOCKTAKE_CORRECTION = "stocktake_correction", _("Location corrected by stocktake")
        IMPORT = "import", _("Imported")

    equipment = models.ForeignKey(
        Equipment, on_delete=models.CASCADE, related_name="ledger", verbose_name=_("equipment")
    )
    kind = models.CharField(_("step"), max_length=30, choices=Kind.choices)
    from_status = models.CharField(_("from status"), max_length=20, choices=Equipment.Status.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=Equipment.Status.choices, blank=True)
    from_department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from department"),
    )
    to_department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to department"),
    )
    from_location = models.CharField(_("from location"), max_length=200, blank=True)
    to_location = models.CharField(_("to location"), max_length=200, blank=True)
    related_equipment = models.ForeignKey(
        Equipment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("related device"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("handler")
    )
    reason = models.TextField(_("reason for this step"), blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["equipment", "created_at"], name="inv_ledger_equipment_time")]

    def __str__(self):
        return f"{self.equipment.asset_no} {self.get_kind_display()}"


class ConfigChangeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if has_role(user, *READ_ALL_ROLES) else self.none()


class ConfigChange(ConcurrentTransitionMixin, models.Model):
    """设备变更: topology, cabling, parameter or part changes, recorded with operator and reason."""

    class Kind(models.TextChoices):
        TOPOLOGY = "topology", _("Topology")
        CABLING = "cabling", _("Cabling")
        PARAMETER = "parameter", _("Parameter")
        PART = "part", _("Part")

    class State(models.TextChoices):
        PENDING_APPROVAL = "pending_approval", _("Awaiting IT head approval")
        DONE = "done", _("Change done")
        REJECTED = "rejected", _("Rejected")

    equipment = models.ForeignKey(
        Equipment, on_delete=models.PROTECT, related_name="config_changes", verbose_name=_("equipment")
    )
    kind = models.CharField(_("kind of change"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("what was changed"))
    reason = models.TextField(_("reason for this step"))
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("operator")
    )
    performed_at = models.DateTimeField(_("time of change"), default=timezone.now)
    state = StateField(_("status"), default=State.DONE, choices=State.choices, protected=True)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ConfigChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("configuration change")
        verbose_name_plural = _("configuration changes")
        ordering = ["-performed_at", "-id"]
        indexes = [models.Index(fields=["state", "performed_at"], name="inv_change_state_time")]

    def __str__(self):
        return f"{self.equipment.asset_no} {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("inventory:change_detail", args=[self.pk])

    @staticmethod
    def needs_approval_for(equipment, kind):
        """Policy: a server's parameter change counts as done only once the IT head approves it."""
        return kind == ConfigChange.Kind.PARAMETER and equipment.category.code == "server"

    @transition(
        field=state,
        source=State.PENDING_APPROVAL,
        target=State.DONE,
        permission=role_required(Role.IT_HEAD)
        & not_same_person("operator", _("You cannot approve a change you made yourself.")),
        custom={"label": _("Approve"), "style": "success"},
    )
    def approve(self, *, by, comment=""):
        self.approver = by
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=State.PENDING_APPROVAL,
        target=State.REJECTED,
        permission=role_required(Role.IT_HEAD)
        & not_same_person("operator", _("You cannot decide on a change you made yourself.")),
        custom={"label": _("Reject"), "style": "danger", "needs_comment": True},
    )
    def reject(self, *, by, comment=""):
        self.approver = by
        self.decided_at = timezone.now()


class SpareLoanQuerySet(DepartmentScopedQuerySet):
    read_all_roles = READ_ALL_ROLES

    def open(self):
        return self.filter(returned_at__isnull=True)

    def overdue(self, today=None):
        return self.open().filter(expected_return__lt=today or timezone.localdate())


class SpareLoan(models.Model):
    """备用机出借登记: a spare machine lent to a department until it is returned."""

    spare = models.ForeignKey(
        Equipment, on_delete=models.PROTECT, related_name="loans", verbose_name=_("spare machine")
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="spare_loans",
        verbose_name=_("borrowing department"),
    )
    borrower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("borrower"),
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("handler")
    )
    lent_at = models.DateTimeField(_("lent at"), default=timezone.now)
    expected_return = models.DateField(_("expected return"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received back by"),
    )
    reason = models.CharField(_("reason / ticket"), max_length=200, blank=True)
    overdue_reminded_on = models.DateField(_("last overdue reminder"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    objects = SpareLoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("spare loan")
        verbose_name_plural = _("spare loans")
        ordering = ["-lent_at", "-id"]
        indexes = [models.Index(fields=["returned_at", "expected_return"], name="inv_loan_open_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["spare"],
                condition=Q(returned_at__isnull=True),
                name="inventory_one_open_loan_per_spare",
                violation_error_message=_("This spare is already lent out."),
            ),
        ]

    def __str__(self):
        return f"{self.spare.asset_no} → {self.department}"

    def get_absolute_url(self):
        return reverse("inventory:loan_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.returned_at is None

    @property
    def is_overdue(self):
        return self.is_open and self.expected_return < timezone.localdate()


class StocktakeQuerySet(models.QuerySet):
    def visible_to(self, user):
        if has_role(user, *READ_ALL_ROLES):
            return self
        if has_role(user, Role.DEPT_HEAD) and user.department_id:
            return self.filter(scope=Stocktake.Scope.DEPARTMENT, department_id=user.department_id)
        return self.none()


class Stocktake(ConcurrentTransitionMixin, models.Model):
    """盘点: a frozen list of what the book says is in scope, confirmed item by item."""

    class Scope(models.TextChoices):
        ALL = "all", _("Whole hospital")
        DEPARTMENT = "department", _("Department")
        LOCATION = "location", _("Location")
        CUSTODIAN = "custodian", _("Custodian")

    class State(models.TextChoices):
        OPEN = "open", _("Counting")
        CLOSED = "closed", _("Closed")

    number = models.CharField(_("stocktake number"), max_length=30, unique=True, editable=False)
    scope = models.CharField(_("stocktake scope"), max_length=20, choices=Scope.choices)
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stocktakes",
        verbose_name=_("department"),
    )
    building = models.CharField(_("building"), max_length=50, blank=True)
    floor = models.CharField(_("floor"), max_length=20, blank=True)
    room = models.CharField(_("room"), max_length=50, blank=True)
    custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("custodian"),
    )
    state = StateField(_("status"), default=State.OPEN, choices=State.choices, protected=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    expected_count = models.PositiveIntegerField(_("expected"), default=0)
    matched_count = models.PositiveIntegerField(_("matched"), default=0)
    misplaced_count = models.PositiveIntegerField(_("found elsewhere"), default=0)
    missing_count = models.PositiveIntegerField(_("missing"), default=0)
    unexpected_count = models.PositiveIntegerField(_("unexpected"), default=0)
    match_rate = models.DecimalField(_("match rate (%)"), max_digits=5, decimal_places=1, null=True, blank=True)
    corrections_applied = models.BooleanField(_("location corrections applied"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = StocktakeQuerySet.as_manager()

    class Meta:
        verbose_name = _("stocktake")
        verbose_name_plural = _("stocktakes")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(scope="department") | Q(department__isnull=False),
                name="inventory_stocktake_department_scope",
                violation_error_message=_("A stocktake of a department names the department."),
            ),
            models.CheckConstraint(
                condition=~Q(scope="custodian") | Q(custodian__isnull=False),
                name="inventory_stocktake_custodian_scope",
                violation_error_message=_("A stocktake of a custodian names the custodian."),
            ),
            models.CheckConstraint(
                condition=~Q(scope="location") | ~Q(building=""),
                name="inventory_stocktake_location_scope",
                violation_error_message=_("A stocktake of a location names the building."),
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("inventory:stocktake_detail", args=[self.pk])

    @property
    def scope_display(self):
        if self.scope == self.Scope.DEPARTMENT:
            return f"{self.get_scope_display()}: {self.department}"
        if self.scope == self.Scope.CUSTODIAN:
            return f"{self.get_scope_display()}: {self.custodian}"
        if self.scope == self.Scope.LOCATION:
            place = " ".join(part for part in (self.building, self.floor, self.room) if part)
            return f"{self.get_scope_display()}: {place}"
        return str(self.get_scope_display())

    @transition(
        field=state,
        source=State.OPEN,
        target=State.CLOSED,
        permission=role_required(*LEDGER_ROLES),
        custom={"label": _("Close stocktake"), "style": "primary", "needs_comment": True},
    )
    def close(self, *, by, comment=""):
        self.closed_by = by
        self.closed_at = timezone.now()


class StocktakeItem(models.Model):
    class Result(models.TextChoices):
        PENDING = "pending", _("Not yet counted")
        MATCHED = "matched", _("Found in place")
        MISPLACED = "misplaced", _("Found elsewhere")
        MISSING = "missing", _("Missing")
        UNEXPECTED = "unexpected", _("Unexpected")
        UNKNOWN = "unknown", _("Unknown asset number")

    stocktake = models.ForeignKey(
        Stocktake, on_delete=models.CASCADE, related_name="items", verbose_name=_("stocktake")
    )
    equipment = models.ForeignKey(
        Equipment, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("equipment")
    )
    asset_no = models.CharField(_("asset number"), max_length=30)
    expected = models.BooleanField(_("on the book"), default=True)
    book_location = models.CharField(_("location on the book"), max_length=200, blank=True)
    found_location = models.CharField(_("found at"), max_length=200, blank=True)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices, default=Result.PENDING)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counted by"),
    )
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stocktake item")
        verbose_name_plural = _("stocktake items")
        ordering = ["asset_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["stocktake", "asset_no"],
                name="inventory_stocktake_item_once",
                violation_error_message=_("This asset is already counted in this stocktake."),
            ),
        ]
        indexes = [models.Index(fields=["stocktake", "result"], name="inv_stock_item_result")]

    def __str__(self):
        return f"{self.stocktake.number} {self.asset_no}"


class ImportSettings(models.Model):
    """How a file's columns and values read into the ledger: shared by an import and its source's profile."""

    class DateFormat(models.TextChoices):
        YMD = "ymd", _("YYYY-MM-DD (2023-01-23)")
        MDY = "mdy", _("M/D/YY (1/23/23)")
        DMY = "dmy", _("D/M/YYYY (23/1/2023)")
        EXCEL = "excel", _("Excel serial number (44949)")

    class DecimalSeparator(models.TextChoices):
        POINT = ".", _("Decimal point (1,299.00)")
        COMMA = ",", _("Decimal comma (1 299,00)")

    mapping = models.JSONField(_("column mapping"), default=dict)
    value_map = models.JSONField(_("value mapping"), default=dict)
    defaults = models.JSONField(_("defaults for missing values"), default=dict)
    date_format = models.CharField(_("date format"), max_length=10, choices=DateFormat.choices, default="ymd")
    decimal_separator = models.CharField(
        _("decimal separator"), max_length=1, choices=DecimalSeparator.choices, default="."
    )

    class Meta:
        abstract = True


class ImportProfile(ImportSettings):
    """A source system's export (Snipe-IT, GLPI, our template), remembered from its last successful import."""

    name = models.CharField(_("source"), max_length=50, unique=True)
    headers = models.JSONField(_("columns of its export"), default=list)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("import profile")
        verbose_name_plural = _("import profiles")
        ordering = ["name"]

    def __str__(self):
        return self.name


class EquipmentImport(ImportSettings):
    """An uploaded ledger file: parsed rows kept until the user maps columns and values and imports them."""

    class State(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded, awaiting column mapping")
        REJECTED = "rejected", _("Rejected: bad rows")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", pgettext_lazy("import state", "Imported")
        FAILED = "failed", _("Failed")

    file_name = models.CharField(_("file"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    headers = models.JSONField(_("columns in the file"), default=list)
    rows = models.JSONField(_("rows"), default=list)
    profile = models.ForeignKey(
        ImportProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("source")
    )
    errors = models.JSONField(_("errors"), default=list)
    state = models.CharField(_("status"), max_length=20, choices=State.choices, default=State.UPLOADED)
    total = models.PositiveIntegerField(_("rows in file"), default=0)
    processed = models.PositiveIntegerField(_("rows imported"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # When it was last queued or started, and whether the job sweep re-queued it after a lost worker (portal/jobs.py).
    attempted_at = models.DateTimeField(_("last queued or started"), default=timezone.now)
    requeued = models.PositiveSmallIntegerField(_("times re-queued"), default=0)
    history = HistoricalRecords(excluded_fields=["rows", "processed", "attempted_at"])

    class Meta:
        verbose_name = _("equipment import")
        verbose_name_plural = _("equipment imports")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return self.file_name

    def get_absolute_url(self):
        return reverse("inventory:import_detail", args=[self.pk])

    @property
    def progress_percent(self):
        return int(self.processed * 100 / self.total) if self.total else 0


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
