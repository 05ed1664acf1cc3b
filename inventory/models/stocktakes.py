"""Stocktakes (盘点) and their items."""

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage, person
from portal.scoping import ScopedQuerySet
from portal.workflow import StateField

from ..permissions import IT_ONLY, READ_ALL_ROLES
from .equipment import Equipment


class StocktakeQuerySet(ScopedQuerySet):
    """The whole-ledger readers see every stocktake, a department head their department's counts (only a
    department's stocktake names a department)."""

    read_all_roles = READ_ALL_ROLES
    department_path = "department"


class Stocktake(DetailPage, ConcurrentTransitionMixin, models.Model):
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
    custodian = person(_("custodian"), optional=True)
    state = StateField(_("status"), default=State.OPEN, choices=State.choices, protected=True)
    opened_by = person(_("opened by"))
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_by = person(_("closed by"), optional=True)
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

    detail_url = "inventory:stocktake_detail"

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

    @property
    def is_open(self):
        return self.state == self.State.OPEN

    @property
    def is_closed(self):
        return self.state == self.State.CLOSED

    @property
    def is_department_count(self):
        return self.scope == self.Scope.DEPARTMENT

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
        permission=IT_ONLY,
        custom={"label": _("Close stocktake"), "style": "primary", "needs_comment": True},
    )
    def close(self, *, by, comment="", apply_corrections=False):
        """Closed with its items' counts (those expected and not counted are marked missing before); the match
        rate is matched / expected. With ``apply_corrections`` devices found elsewhere are moved (inventory.effects)."""
        self.closed_by = by
        self.closed_at = timezone.now()
        result = StocktakeItem.Result
        counts = dict(self.items.values_list("result").annotate(n=Count("id")).order_by())
        self.matched_count = counts.get(result.MATCHED, 0)
        self.misplaced_count = counts.get(result.MISPLACED, 0)
        self.missing_count = counts.get(result.MISSING, 0)
        self.unexpected_count = counts.get(result.UNEXPECTED, 0) + counts.get(result.UNKNOWN, 0)
        self.match_rate = round(self.matched_count * 100 / self.expected_count, 1) if self.expected_count else None
        self.corrections_applied = apply_corrections


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
    counted_by = person(_("counted by"), optional=True)
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


class StocktakeReminder(models.Model):
    """One reminder per department, due date and stage (due soon, overdue), so a rerun sends nothing twice."""

    class Stage(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    department = models.ForeignKey("accounts.Department", on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(null=True)  # empty: the department was never reconciled
    stage = models.CharField(max_length=10, choices=Stage.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["department", "due_on", "stage"],
                name="inventory_stocktake_reminded_once",
                violation_error_message=_("This department has already been reminded for this due date."),
            ),
            models.UniqueConstraint(
                fields=["department", "stage"],
                condition=Q(due_on__isnull=True),
                name="inventory_stocktake_never_reminded_once",
                violation_error_message=_("This department has already been reminded for this due date."),
            ),
        ]
