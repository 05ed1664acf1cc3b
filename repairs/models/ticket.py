"""The repair ticket (报修单): filing, dispatch, waits, repair, the reporting department's confirmation, SLA clocks."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, transition
from simple_history.models import HistoricalRecords

from accounts.permissions import acts_for_head, head_acted_for
from portal.fields import DetailPage, person
from portal.roles import IT_ROLES, Role, has_role
from portal.scoping import DepartmentScopedQuerySet
from portal.workflow import Condition, Guard, StateField, not_same_person, role_required

from ..permissions import READ_ALL_ROLES
from .fields import check, optional, optional_user
from .settings import FaultCategory, FaultClass, RepairSettings

# 转入手工操作 thresholds of the emergency plan (001 八(五)2) for a class-1 fault not yet repaired:
# (milestone key, time after the report, what goes manual).
MANUAL_FALLBACK_MILESTONES = (
    ("30m", timedelta(minutes=30), _("Registration, outpatient doctors and pharmacy go manual")),
    ("6h", timedelta(hours=6), _("Ward doctor and nurse stations, theatres and medical technology go manual")),
    ("24h", timedelta(hours=24), _("The whole hospital goes manual")),
)
FAILURE_REPORT_DAYS = 2


def _in_reporting_department(ticket, user):
    return user.is_authenticated and user.department_id == ticket.department_id


in_reporting_department = Guard(_in_reporting_department, _("Only the department that reported the fault may do this."))
reporting_department_or_it = Guard(
    lambda ticket, user: _in_reporting_department(ticket, user) or has_role(user, *IT_ROLES),
    _("Only the reporting department or IT may do this."),
)
department_head_of_reporter = Guard(
    lambda ticket, user: acts_for_head(user, ticket.department_id),
    _("Only the head of the reporting department (or their deputy) may approve the parts."),
    on_behalf=lambda ticket, user: head_acted_for(user, ticket.department_id),
)
reporting_department_not_repairer = in_reporting_department & not_same_person(
    "repaired_by", _("You cannot confirm a repair you did yourself.")
)
it_only = role_required(*IT_ROLES)
it_head_only = role_required(Role.IT_HEAD)
spare_back = Condition(
    lambda ticket: ticket.spare_out is None,
    _(
        "Under the Hardware Repair Rules (items 5–6) the spare machine comes back before the ticket closes: "
        "take it back, or keep it as a permanent swap on the ledger."
    ),
)
WARRANTY_PATH_REFUSALS = {
    "vendor": _(
        "Under the Hardware Repair Rules (item 3) a device out of warranty is repaired with parts from the "
        "storeroom; sending it to the vendor needs the IT head's override with a reason."
    ),
    "parts": _(
        "Under the Hardware Repair Rules (item 3) a device in warranty goes to the vendor; repairing it with "
        "parts needs the IT head's override with a reason."
    ),
}


def warranty_path_guard(path):
    """The path the warranty does not choose is the IT head's to take (with a reason, asked by the service)."""
    return Guard(
        lambda ticket, user: ticket.warranty_path in (None, path) or has_role(user, Role.IT_HEAD),
        WARRANTY_PATH_REFUSALS[path],
    )


def _unapproved_parts(ticket):
    return ticket.parts.filter(approved_at__isnull=True).exists()


def step(source, target, permission, label, style="primary", *, needs_comment=False, conditions=()):
    """A transition of the ticket's state: where it starts, who may take it, and its button."""
    return transition(
        field="state",
        source=source,
        target=target,
        permission=permission,
        conditions=list(conditions),
        custom={"label": label, "style": style, "needs_comment": needs_comment},
    )


class RepairTicketQuerySet(DepartmentScopedQuerySet):
    read_all_roles = READ_ALL_ROLES

    def visible_to(self, user):
        """Besides the reporting department, the departments coordinating medical-insurance faults read those."""
        visible = super().visible_to(user)
        if not user.is_authenticated or not user.department_id or has_role(user, *self.read_all_roles):
            return visible
        if not RepairSettings.insurance_departments.through.objects.filter(department_id=user.department_id).exists():
            return visible
        return visible | self.filter(RepairTicket.INSURANCE_FAULTS)

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


class RepairTicket(DetailPage, ConcurrentTransitionMixin, models.Model):
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
    # After the repair, a spare machine still out is to be taken back.
    SPARE_BACK_STATES = (State.REPAIRED, State.CONFIRMED, State.CLOSED)
    # 其它故障 (001 八(四)): faults of the medical-insurance line, coordinated by the configured departments.
    INSURANCE_FAULTS = Q(fault_class=FaultClass.OTHER) | Q(category=FaultCategory.INSURANCE_LINE)

    number = models.CharField(_("ticket number"), max_length=30, unique=True, editable=False)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="repair_tickets", verbose_name=_("department")
    )
    reporter = person(_("reporter"), related_name="reported_repairs")
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    equipment = optional("inventory.Equipment", _("device"), "repair_tickets")
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
    assignee = optional_user(_("handler"), related_name="assigned_repairs")
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
    # The registered vendor whose engineers attend the ticket now; ``vendor`` keeps the name it was sent to.
    vendor_company = optional("repairs.Vendor", _("registered vendor"), "tickets")
    rma_no = models.CharField(_("RMA number"), max_length=50, blank=True)
    cause = models.TextField(_("cause"), blank=True)
    action_taken = models.TextField(_("action taken"), blank=True)
    parts_used = models.CharField(_("parts used"), max_length=200, blank=True)
    repaired_at = models.DateTimeField(_("repaired at"), null=True, blank=True)
    repaired_by = optional_user(_("repaired by"))
    response_seconds = models.PositiveIntegerField(_("response time (seconds)"), null=True, blank=True)
    repair_seconds = models.PositiveIntegerField(_("repair time (seconds)"), null=True, blank=True)
    response_met = models.BooleanField(_("response within limit"), null=True, blank=True)
    repair_met = models.BooleanField(_("repair within limit"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times sent back"), default=0)
    equipment_sent = models.BooleanField(_("device marked under repair"), default=False, editable=False)
    spare_loan = optional("inventory.SpareLoan", _("spare machine loan"), "repair_tickets")
    spare_kept = models.BooleanField(_("spare kept as a permanent swap"), default=False, editable=False)
    path_override_reason = models.TextField(_("reason for overriding the warranty's path"), blank=True)
    path_override_by = optional_user(_("path overridden by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = optional_user(_("confirmed by"))
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    confirmation_comment = models.TextField(_("confirmation comment"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_unconfirmed_reason = models.TextField(
        _("reason for closing without the department's confirmation"), blank=True
    )
    failure_report_reminded_on = models.DateField(
        _("last failure report reminder"), null=True, blank=True, editable=False
    )
    history = HistoricalRecords()

    objects = RepairTicketQuerySet.as_manager()

    detail_url = "repairs:ticket_detail"

    class Meta:
        verbose_name = _("repair ticket")
        verbose_name_plural = _("repair tickets")
        ordering = ["-id"]
        permissions = [("attend_ticket", _("Attend this repair ticket as a vendor engineer"))]
        indexes = [
            models.Index(fields=fields, name=name)
            for name, fields in (
                ("repairs_ticket_dept", ["department", "-id"]),
                ("repairs_ticket_state", ["state", "-id"]),
                ("repairs_ticket_assignee", ["assignee", "state"]),
                ("repairs_ticket_equipment", ["equipment", "-id"]),
                ("repairs_ticket_reported", ["reported_at"]),
                ("repairs_ticket_response_due", ["state", "response_due"]),
                ("repairs_ticket_repair_due", ["state", "repair_due"]),
                ("repairs_ticket_repaired", ["state", "repaired_at"]),
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["equipment"],
                condition=Q(equipment__isnull=False) & ~Q(state__in=["confirmed", "closed", "cancelled"]),
                name="repairs_one_open_ticket_per_device",
                violation_error_message=_("A ticket is already open for this device."),
            ),
            check(
                "repairs_satisfaction_1_to_5",
                Q(satisfaction__isnull=True) | (Q(satisfaction__gte=1) & Q(satisfaction__lte=5)),
                _("Satisfaction is rated from 1 to 5."),
            ),
            check(
                "repairs_device_named",
                Q(equipment__isnull=False) | ~Q(device_description=""),
                _("Choose the device from the ledger or describe it."),
            ),
        ]

    def __str__(self):
        return self.number

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

    @property
    def closed_unconfirmed(self):
        """未经科室确认: closed without the reporting department's confirmation."""
        return self.state == self.State.CLOSED and self.confirmed_at is None

    @property
    def is_insurance_fault(self):
        return self.fault_class == FaultClass.OTHER or self.category == FaultCategory.INSURANCE_LINE

    @property
    def warranty_path(self):
        """``"vendor"`` in warranty, ``"parts"`` out of it, ``None`` when the ledger does not say."""
        if self.equipment_id is None or self.equipment.warranty_end is None:
            return None
        return "vendor" if self.equipment.in_warranty else "parts"

    @property
    def is_class_1(self):
        return self.fault_class == FaultClass.CLASS_1

    @property
    def is_in_hand(self):
        """Dispatched or in IT's hands and not repaired yet: when a spare machine may be lent."""
        return self.state in (self.State.DISPATCHED, *self.IN_HAND_STATES)

    @property
    def spare_out(self):
        """The spare machine loan of this ticket, while the spare has not come back."""
        loan = self.spare_loan
        return loan if loan is not None and loan.returned_at is None else None

    @property
    def spare_to_take_back(self):
        """The loan to take back now that the device is repaired, or ``None``."""
        return self.spare_out if self.state in self.SPARE_BACK_STATES else None

    @property
    def failure_report_due(self):
        """When the failure report of a repaired class 1 fault is due; ``None`` for any other ticket."""
        if not self.is_class_1 or self.repaired_at is None:
            return None
        return self.repaired_at + timedelta(days=FAILURE_REPORT_DAYS)

    @property
    def has_failure_report(self):
        return hasattr(self, "failure_report")

    def manual_fallback(self):
        """The emergency plan's milestones for a class-1 fault: (time, what goes manual, passed?) until repaired."""
        if not self.is_class_1:
            return []
        until = self.repaired_at or timezone.now()
        return [
            (self.reported_at + after, text, self.reported_at + after <= until)
            for _key, after, text in MANUAL_FALLBACK_MILESTONES
        ]

    def set_due_times(self, limits):
        response, repair = limits
        self.response_due = self.reported_at + response
        self.repair_due = self.reported_at + repair + timedelta(seconds=self.paused_seconds)

    def _pause(self):
        self.paused_since = timezone.now()

    def _override_path(self, by, reason):
        if reason:
            self.path_override_reason, self.path_override_by = reason, by

    def _resume_clock(self):
        if self.paused_since is not None:
            paused = timezone.now() - self.paused_since
            self.paused_seconds += int(paused.total_seconds())
            self.repair_due += paused
            self.paused_since = None

    # Transitions run through repairs.services.ticket_transition; they move only the ticket's own fields,
    # and repairs.effects does the rest (the ledger, the parts, the notices).

    @step([State.SUBMITTED, State.DISPATCHED], State.DISPATCHED, it_only, _("Dispatch"), needs_comment=True)
    def dispatch(self, *, by, comment="", assignee):
        self.assignee = assignee
        self.dispatched_at = self.dispatched_at or timezone.now()

    @step(State.DISPATCHED, State.ON_SITE, it_only, _("Arrived on site"))
    def arrive(self, *, by, comment=""):
        now = timezone.now()
        self.arrived_at = now
        self.response_seconds = int((now - self.reported_at).total_seconds())
        self.response_met = now <= self.response_due
        if self.assignee_id is None:
            self.assignee = by

    @step(
        State.ON_SITE,
        State.WAITING_VENDOR,
        it_only & warranty_path_guard("vendor"),
        _("Wait for vendor"),
        "warning",
        needs_comment=True,
    )
    def wait_vendor(self, *, by, comment="", vendor="", vendor_company=None, rma_no="", override_reason=""):
        self.vendor_company = vendor_company
        self.vendor = vendor_company.name if vendor_company is not None else vendor
        self.rma_no = rma_no
        self._override_path(by, override_reason)
        self._pause()

    @step(
        State.ON_SITE,
        State.WAITING_PARTS,
        it_only & warranty_path_guard("parts"),
        _("Wait for parts"),
        "warning",
        needs_comment=True,
    )
    def wait_parts(self, *, by, comment="", parts=(), override_reason=""):
        """The requested ``parts`` are recorded by the step's effect."""
        self._override_path(by, override_reason)
        self._pause()

    @step(
        State.WAITING_PARTS,
        None,
        department_head_of_reporter,
        _("Approve parts"),
        "success",
        conditions=[Condition(_unapproved_parts, _("No parts wait for approval."))],
    )
    def approve_parts(self, *, by, comment=""):
        """The parts are marked approved by the step's effect; the ticket itself keeps waiting."""

    @step([State.WAITING_VENDOR, State.WAITING_PARTS], State.ON_SITE, it_only, _("Resume repair"), "secondary")
    def resume(self, *, by, comment=""):
        if self.state == self.State.WAITING_VENDOR:  # taken back from the vendor: its engineers no longer attend
            self.vendor_company = None
        self._resume_clock()

    @step(
        [State.ON_SITE, State.WAITING_VENDOR, State.WAITING_PARTS],
        State.REPAIRED,
        it_only,
        _("Repaired"),
        "success",
        needs_comment=True,
        conditions=[
            Condition(
                lambda ticket: not _unapproved_parts(ticket),
                _("The department has not approved the requested parts yet."),
            )
        ],
    )
    def repair(self, *, by, comment="", cause, action_taken, parts_used="", override_reason=""):
        self._override_path(by, override_reason)
        self._resume_clock()
        now = timezone.now()
        self.cause, self.action_taken, self.parts_used = cause, action_taken, parts_used
        self.repaired_at = now
        self.repaired_by = by
        self.repair_seconds = max(0, int((now - self.reported_at).total_seconds()) - self.paused_seconds)
        self.repair_met = now <= self.repair_due

    @step(
        State.REPAIRED,
        State.CONFIRMED,
        reporting_department_not_repairer,
        _("Confirm repair"),
        "success",
        needs_comment=True,
    )
    def confirm(self, *, by, comment="", satisfaction):
        self.confirmed_at = timezone.now()
        self.confirmed_by = by
        self.satisfaction = satisfaction
        self.confirmation_comment = comment

    @step(
        State.REPAIRED, State.ON_SITE, reporting_department_not_repairer, _("Not fixed"), "danger", needs_comment=True
    )
    def reopen(self, *, by, comment=""):
        self.reopen_count += 1
        self.repaired_at = None
        self.repair_seconds = None
        self.repair_met = None

    @step(State.CONFIRMED, State.CLOSED, it_only, _("Close"), "secondary", conditions=[spare_back])
    def close(self, *, by, comment=""):
        self.closed_at = timezone.now()

    @step(
        State.REPAIRED,
        State.CLOSED,
        it_head_only,
        _("Close without the department's confirmation"),
        "outline-danger",
        needs_comment=True,
        conditions=[spare_back],
    )
    def close_unconfirmed(self, *, by, comment=""):
        """The IT head's administrative close; the monthly report counts these apart (未经科室确认)."""
        self.closed_at = timezone.now()
        self.closed_unconfirmed_reason = comment

    @step(
        State.SUBMITTED, State.CANCELLED, reporting_department_or_it, _("Cancel"), "outline-danger", needs_comment=True
    )
    def cancel(self, *, by, comment=""):
        self.closed_at = timezone.now()

    @step(
        UNRESOLVED_STATES,
        None,
        it_only,
        _("Change fault class"),
        "outline-secondary",
        needs_comment=True,
    )
    def reclassify(self, *, by, comment="", fault_class, limits):
        self.fault_class = fault_class
        self.set_due_times(limits)
        self.response_escalation = 0
        self.repair_escalation = 0
