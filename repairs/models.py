"""Repair tickets (报修单): filing, dispatch, waits, repair, the reporting department's confirmation, SLA clocks."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, transition
from simple_history.models import HistoricalRecords

from portal.permissions import DepartmentScopedQuerySet
from portal.roles import Role, has_role
from portal.workflow import Condition, Guard, StateField, not_same_person, role_required

IT_ROLES = (Role.IT_OFFICER, Role.IT_HEAD)
# Who reads every department's tickets; everybody else reads their own department's.
READ_ALL_ROLES = (Role.IT_OFFICER, Role.IT_HEAD, Role.LEADER, Role.AUDITOR)
# 转入手工操作 thresholds of the emergency plan for a class-1 fault not yet repaired.
MANUAL_FALLBACK_MILESTONES = (
    (timedelta(minutes=30), _("Registration, outpatient doctors and pharmacy go manual")),
    (timedelta(hours=6), _("Ward doctor and nurse stations, theatres and medical technology go manual")),
    (timedelta(hours=24), _("The whole hospital goes manual")),
)
FAILURE_REPORT_DAYS = 2


class FaultCategory(models.TextChoices):
    HARDWARE = "hardware", _("Hardware")
    SOFTWARE = "software", _("Software")
    NETWORK = "network", _("Network")
    PRINTER = "printer", _("Printer")
    APPLICATION = "application", _("HIS/LIS/PACS application")
    OTHER = "other", _("Other")


class FaultClass(models.TextChoices):
    CLASS_1 = "1", _("Class 1 fault")
    CLASS_2 = "2", _("Class 2 fault")
    CLASS_3 = "3", _("Class 3 fault")
    OTHER = "other", _("Other fault")


class RepairSettings(models.Model):
    """The one row of repair limits and the auto-close delay, edited by the IT head."""

    class1_response_minutes = models.PositiveIntegerField(_("class 1: response limit (minutes)"), default=15)
    class1_repair_minutes = models.PositiveIntegerField(_("class 1: repair limit (minutes)"), default=240)
    class2_response_minutes = models.PositiveIntegerField(_("class 2: response limit (minutes)"), default=60)
    class2_repair_minutes = models.PositiveIntegerField(_("class 2: repair limit (minutes)"), default=1440)
    class3_response_minutes = models.PositiveIntegerField(_("class 3: response limit (minutes)"), default=120)
    class3_repair_minutes = models.PositiveIntegerField(_("class 3: repair limit (minutes)"), default=480)
    other_response_minutes = models.PositiveIntegerField(_("other: response limit (minutes)"), default=60)
    other_repair_minutes = models.PositiveIntegerField(_("other: repair limit (minutes)"), default=1440)
    auto_close_days = models.PositiveSmallIntegerField(
        _("auto-close after (days)"),
        default=7,
        validators=[MinValueValidator(1)],
        help_text=_("A repaired ticket the department has not confirmed is closed after this many days."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("repair settings")
        verbose_name_plural = _("repair settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(pk=1),
                name="repairs_settings_single_row",
                violation_error_message=_("The repair settings exist only once."),
            ),
            models.CheckConstraint(
                condition=Q(auto_close_days__gte=1),
                name="repairs_settings_auto_close_positive",
                violation_error_message=_("Automatic closing waits at least one day."),
            ),
        ]

    def __str__(self):
        return str(_("Repair settings"))

    @classmethod
    def current(cls):
        return cls.objects.get_or_create(pk=1)[0]

    def limits(self, fault_class):
        """(response, repair) limits of a fault class as timedeltas."""
        prefix = {"1": "class1", "2": "class2", "3": "class3"}.get(fault_class, "other")
        return (
            timedelta(minutes=getattr(self, f"{prefix}_response_minutes")),
            timedelta(minutes=getattr(self, f"{prefix}_repair_minutes")),
        )


def _in_reporting_department(ticket, user):
    return user.is_authenticated and user.department_id == ticket.department_id


in_reporting_department = Guard(_in_reporting_department, _("Only the department that reported the fault may do this."))
reporting_department_or_it = Guard(
    lambda ticket, user: _in_reporting_department(ticket, user) or has_role(user, *IT_ROLES),
    _("Only the reporting department or IT may do this."),
)
department_head_of_reporter = Guard(
    lambda ticket, user: _in_reporting_department(ticket, user) and has_role(user, Role.DEPT_HEAD),
    _("Only the head of the reporting department may approve the parts."),
)
system_only = Guard(lambda ticket, user: user is None, _("Only the portal does this by itself."))
it_only = role_required(*IT_ROLES)


class RepairTicketQuerySet(DepartmentScopedQuerySet):
    read_all_roles = READ_ALL_ROLES

    def open(self):
        return self.exclude(state__in=RepairTicket.DONE_STATES)

    def unresolved(self):
        """Not yet repaired: the clocks still run for these."""
        return self.filter(state__in=RepairTicket.UNRESOLVED_STATES)

    def breaching(self, now=None):
        now = now or timezone.now()
        return self.unresolved().filter(
            Q(arrived_at__isnull=True, response_due__lt=now) | Q(paused_since__isnull=True, repair_due__lt=now)
        )


class RepairTicket(ConcurrentTransitionMixin, models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("repair ticket", "Submitted")
        DISPATCHED = "dispatched", pgettext_lazy("repair ticket", "Dispatched")
        ON_SITE = "on_site", pgettext_lazy("repair ticket", "On site")
        WAITING_VENDOR = "waiting_vendor", pgettext_lazy("repair ticket", "Waiting for vendor")
        WAITING_PARTS = "waiting_parts", pgettext_lazy("repair ticket", "Waiting for parts")
        REPAIRED = "repaired", pgettext_lazy("repair ticket", "Repaired")
        CONFIRMED = "confirmed", pgettext_lazy("repair ticket", "Confirmed")
        CLOSED = "closed", pgettext_lazy("repair ticket", "Closed")
        CANCELLED = "cancelled", pgettext_lazy("repair ticket", "Cancelled")

    UNRESOLVED_STATES = (State.SUBMITTED, State.DISPATCHED, State.ON_SITE, State.WAITING_VENDOR, State.WAITING_PARTS)
    WAITING_STATES = (State.WAITING_VENDOR, State.WAITING_PARTS)
    DONE_STATES = (State.CONFIRMED, State.CLOSED, State.CANCELLED)
    IN_HAND_STATES = (State.ON_SITE, State.WAITING_VENDOR, State.WAITING_PARTS)

    number = models.CharField(_("ticket number"), max_length=30, unique=True, editable=False)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="repair_tickets", verbose_name=_("department")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reported_repairs", verbose_name=_("reporter")
    )
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    equipment = models.ForeignKey(
        "inventory.Equipment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repair_tickets",
        verbose_name=_("device"),
    )
    device_description = models.CharField(_("device (when not in the ledger)"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=100, blank=True)
    category = models.CharField(_("fault category"), max_length=20, choices=FaultCategory.choices)
    fault_class = models.CharField(
        _("fault class"), max_length=10, choices=FaultClass.choices, default=FaultClass.CLASS_2
    )
    description = models.TextField(_("fault description"))
    inspection_result = models.ForeignKey(
        "inspections.RoundResult",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repair_tickets",
        verbose_name=_("inspection finding"),
    )
    state = StateField(_("status"), default=State.SUBMITTED, choices=State.choices, protected=True)
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now, editable=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_repairs",
        verbose_name=_("handler"),
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("on site at"), null=True, blank=True)
    # The SLA clocks: due-times are stored so that the queue and the 15-minute tick read an index.
    response_due = models.DateTimeField(_("response due"))
    repair_due = models.DateTimeField(_("repair due"))
    paused_since = models.DateTimeField(_("clock paused since"), null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(_("time paused (seconds)"), default=0)
    response_escalation = models.PositiveSmallIntegerField(_("response escalation level"), default=0)
    repair_escalation = models.PositiveSmallIntegerField(_("repair escalation level"), default=0)
    vendor = models.CharField(_("vendor"), max_length=100, blank=True)
    rma_no = models.CharField(_("RMA number"), max_length=50, blank=True)
    cause = models.TextField(_("cause"), blank=True)
    action_taken = models.TextField(_("action taken"), blank=True)
    parts_used = models.CharField(_("parts used"), max_length=200, blank=True)
    repaired_at = models.DateTimeField(_("repaired at"), null=True, blank=True)
    repaired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("repaired by"),
    )
    response_seconds = models.PositiveIntegerField(_("response time (seconds)"), null=True, blank=True)
    repair_seconds = models.PositiveIntegerField(_("repair time (seconds)"), null=True, blank=True)
    response_met = models.BooleanField(_("response within limit"), null=True, blank=True)
    repair_met = models.BooleanField(_("repair within limit"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times sent back"), default=0)
    equipment_sent = models.BooleanField(_("device marked under repair"), default=False, editable=False)
    spare_loan = models.ForeignKey(
        "inventory.SpareLoan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repair_tickets",
        verbose_name=_("spare machine loan"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    confirmation_comment = models.TextField(_("confirmation comment"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    failure_report_reminded_on = models.DateField(
        _("last failure report reminder"), null=True, blank=True, editable=False
    )
    history = HistoricalRecords()

    objects = RepairTicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("repair ticket")
        verbose_name_plural = _("repair tickets")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["department", "-id"], name="repairs_ticket_dept"),
            models.Index(fields=["state", "-id"], name="repairs_ticket_state"),
            models.Index(fields=["assignee", "state"], name="repairs_ticket_assignee"),
            models.Index(fields=["equipment", "-id"], name="repairs_ticket_equipment"),
            models.Index(fields=["reported_at"], name="repairs_ticket_reported"),
            models.Index(fields=["state", "response_due"], name="repairs_ticket_response_due"),
            models.Index(fields=["state", "repair_due"], name="repairs_ticket_repair_due"),
            models.Index(fields=["state", "repaired_at"], name="repairs_ticket_repaired"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["equipment"],
                condition=Q(equipment__isnull=False) & ~Q(state__in=["confirmed", "closed", "cancelled"]),
                name="repairs_one_open_ticket_per_device",
                violation_error_message=_("A ticket is already open for this device."),
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | (Q(satisfaction__gte=1) & Q(satisfaction__lte=5)),
                name="repairs_satisfaction_1_to_5",
                violation_error_message=_("Satisfaction is rated from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=Q(equipment__isnull=False) | ~Q(device_description=""),
                name="repairs_device_named",
                violation_error_message=_("Choose the device from the ledger or describe it."),
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("repairs:ticket_detail", args=[self.pk])

    def clean(self):
        if self.equipment_id is None and not self.device_description.strip():
            raise ValidationError({"device_description": _("Choose the device, scan its label, or describe it.")})

    @property
    def device_label(self):
        return str(self.equipment) if self.equipment_id else self.device_description

    @property
    def is_paused(self):
        return self.paused_since is not None

    @property
    def is_breaching(self):
        if self.state not in self.UNRESOLVED_STATES:
            return False
        now = timezone.now()
        return (self.arrived_at is None and self.response_due < now) or (
            self.paused_since is None and self.repair_due < now
        )

    def manual_fallback(self):
        """The emergency plan's milestones for a class-1 fault: (time, what goes manual, passed?) until repaired."""
        if not self.is_class_1:
            return []
        until = self.repaired_at or timezone.now()
        return [
            (self.reported_at + after, text, self.reported_at + after <= until)
            for after, text in MANUAL_FALLBACK_MILESTONES
        ]

    @property
    def is_class_1(self):
        return self.fault_class == FaultClass.CLASS_1

    def set_due_times(self, limits):
        response, repair = limits
        self.response_due = self.reported_at + response
        self.repair_due = self.reported_at + repair + timedelta(seconds=self.paused_seconds)

    def _pause(self):
        self.paused_since = timezone.now()

    def _resume_clock(self):
        if self.paused_since is not None:
            paused = timezone.now() - self.paused_since
            self.paused_seconds += int(paused.total_seconds())
            self.repair_due += paused
            self.paused_since = None

    # Transitions run through portal.workflow.perform from repairs.services, which adds the
    # effects on the ledger and the notices; the methods move only the ticket's own fields.

    @transition(
        field=state,
        source=[State.SUBMITTED, State.DISPATCHED],
        target=State.DISPATCHED,
        permission=it_only,
        custom={"label": _("Dispatch"), "style": "primary", "needs_comment": True},
    )
    def dispatch(self, *, by, comment="", assignee):
        self.assignee = assignee
        self.dispatched_at = self.dispatched_at or timezone.now()

    @transition(
        field=state,
        source=State.DISPATCHED,
        target=State.ON_SITE,
        permission=it_only,
        custom={"label": _("Arrived on site"), "style": "primary"},
    )
    def arrive(self, *, by, comment=""):
        now = timezone.now()
        self.arrived_at = now
        self.response_seconds = int((now - self.reported_at).total_seconds())
        self.response_met = now <= self.response_due
        if self.assignee_id is None:
            self.assignee = by

    @transition(
        field=state,
        source=State.ON_SITE,
        target=State.WAITING_VENDOR,
        permission=it_only,
        custom={"label": _("Wait for vendor"), "style": "warning", "needs_comment": True},
    )
    def wait_vendor(self, *, by, comment="", vendor, rma_no=""):
        self.vendor = vendor
        self.rma_no = rma_no
        self._pause()

    @transition(
        field=state,
        source=State.ON_SITE,
        target=State.WAITING_PARTS,
        permission=it_only,
        custom={"label": _("Wait for parts"), "style": "warning", "needs_comment": True},
    )
    def wait_parts(self, *, by, comment=""):
        self._pause()

    @transition(
        field=state,
        source=State.WAITING_PARTS,
        target=None,
        permission=department_head_of_reporter,
        conditions=[
            Condition(lambda t: t.parts.filter(approved_at__isnull=True).exists(), _("No parts wait for approval."))
        ],
        custom={"label": _("Approve parts"), "style": "success"},
    )
    def approve_parts(self, *, by, comment=""):
        self.parts.filter(approved_at__isnull=True).update(approved_by=by, approved_at=timezone.now())

    @transition(
        field=state,
        source=[State.WAITING_VENDOR, State.WAITING_PARTS],
        target=State.ON_SITE,
        permission=it_only,
        custom={"label": _("Resume repair"), "style": "secondary"},
    )
    def resume(self, *, by, comment=""):
        self._resume_clock()

    @transition(
        field=state,
        source=[State.ON_SITE, State.WAITING_VENDOR, State.WAITING_PARTS],
        target=State.REPAIRED,
        permission=it_only,
        conditions=[
            Condition(
                lambda t: not t.parts.filter(approved_at__isnull=True).exists(),
                _("The department has not approved the requested parts yet."),
            )
        ],
        custom={"label": _("Repaired"), "style": "success", "needs_comment": True},
    )
    def repair(self, *, by, comment="", cause, action_taken, parts_used=""):
        self._resume_clock()
        now = timezone.now()
        self.cause, self.action_taken, self.parts_used = cause, action_taken, parts_used
        self.repaired_at = now
        self.repaired_by = by
        self.repair_seconds = max(0, int((now - self.reported_at).total_seconds()) - self.paused_seconds)
        self.repair_met = now <= self.repair_due

    @transition(
        field=state,
        source=State.REPAIRED,
        target=State.CONFIRMED,
        permission=in_reporting_department
        & not_same_person("repaired_by", _("You cannot confirm a repair you did yourself.")),
        custom={"label": _("Confirm repair"), "style": "success", "needs_comment": True},
    )
    def confirm(self, *, by, comment="", satisfaction):
        self.confirmed_at = timezone.now()
        self.confirmed_by = by
        self.satisfaction = satisfaction
        self.confirmation_comment = comment

    @transition(
        field=state,
        source=State.REPAIRED,
        target=State.ON_SITE,
        permission=in_reporting_department
        & not_same_person("repaired_by", _("You cannot confirm a repair you did yourself.")),
        custom={"label": _("Not fixed"), "style": "danger", "needs_comment": True},
    )
    def reopen(self, *, by, comment=""):
        self.reopen_count += 1
        self.repaired_at = None
        self.repair_seconds = None
        self.repair_met = None

    @transition(
        field=state,
        source=State.CONFIRMED,
        target=State.CLOSED,
        permission=it_only,
        custom={"label": _("Close"), "style": "secondary"},
    )
    def close(self, *, by, comment=""):
        self.closed_at = timezone.now()

    @transition(
        field=state,
        source=State.REPAIRED,
        target=State.CLOSED,
        permission=system_only,
        custom={"label": _("Closed automatically")},
    )
    def auto_close(self, *, by, comment=""):
        self.closed_at = timezone.now()

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.CANCELLED,
        permission=reporting_department_or_it,
        custom={"label": _("Cancel"), "style": "outline-danger", "needs_comment": True},
    )
    def cancel(self, *, by, comment=""):
        self.closed_at = timezone.now()

    @transition(
        field=state,
        source=UNRESOLVED_STATES,
        target=None,
        permission=it_only,
        custom={"label": _("Change fault class"), "style": "outline-secondary", "needs_comment": True},
    )
    def reclassify(self, *, by, comment="", fault_class, limits):
        self.fault_class = fault_class
        self.set_due_times(limits)
        self.response_escalation = 0
        self.repair_escalation = 0


class PartRequestLine(models.Model):
    """A part the department requests from the storeroom for an out-of-warranty repair."""

    ticket = models.ForeignKey(RepairTicket, on_delete=models.CASCADE, related_name="parts", verbose_name=_("ticket"))
    part = models.CharField(_("part"), max_length=100)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])
    unit_cost = models.DecimalField(_("unit cost (yuan)"), max_digits=10, decimal_places=2, default=0)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("part request")
        verbose_name_plural = _("part requests")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1),
                name="repairs_part_quantity_positive",
                violation_error_message=_("The quantity must be at least 1."),
            ),
            models.CheckConstraint(
                condition=Q(unit_cost__gte=0),
                name="repairs_part_cost_not_negative",
                violation_error_message=_("The unit cost cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.part} × {self.quantity}"

    @property
    def cost(self):
        return self.unit_cost * self.quantity


class Escalation(models.Model):
    """One escalation of one breached clock to one level; the unique key makes the 15-minute tick idempotent."""

    class Clock(models.TextChoices):
        RESPONSE = "response", pgettext_lazy("repair SLA", "Response")
        REPAIR = "repair", pgettext_lazy("repair SLA", "Repair")

    class Level(models.IntegerChoices):
        HANDLER = 1, _("Handler")
        IT_HEAD = 2, _("IT head")
        LEADER = 3, _("Leader")

    ticket = models.ForeignKey(
        RepairTicket, on_delete=models.CASCADE, related_name="escalations", verbose_name=_("ticket")
    )
    clock = models.CharField(_("clock"), max_length=10, choices=Clock.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    escalated_at = models.DateTimeField(_("escalated at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["escalated_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "clock", "level"],
                name="repairs_one_escalation_per_level",
                violation_error_message=_("This level of escalation has already been sent."),
            ),
        ]

    def __str__(self):
        return f"{self.ticket} · {self.get_clock_display()} · {self.get_level_display()}"


class FailureReport(models.Model):
    """故障排除报告 for a class-1 fault, due within two days after the repair."""

    ticket = models.OneToOneField(
        RepairTicket, on_delete=models.CASCADE, related_name="failure_report", verbose_name=_("ticket")
    )
    cause = models.TextField(_("cause of the fault"))
    timeline = models.TextField(_("timeline"))
    measures = models.TextField(_("preventive measures"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("failure report")
        verbose_name_plural = _("failure reports")

    def __str__(self):
        return f"{self.ticket} · {self._meta.verbose_name}"
