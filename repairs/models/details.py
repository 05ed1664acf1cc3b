"""What hangs on a ticket: the parts requested, the escalations and notices sent, the failure report filed."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from portal.fields import person

from .fields import check, optional_user
from .ticket import RepairTicket


def _ticket(related_name, field=models.ForeignKey):
    return field(RepairTicket, on_delete=models.CASCADE, related_name=related_name, verbose_name=_("ticket"))


class PartRequestLine(models.Model):
    """A part the department requests from the storeroom for an out-of-warranty repair."""

    ticket = _ticket("parts")
    part = models.CharField(_("part"), max_length=100)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])
    unit_cost = models.DecimalField(_("unit cost (yuan)"), max_digits=10, decimal_places=2, default=0)
    approved_by = optional_user(_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("part request")
        verbose_name_plural = _("part requests")
        ordering = ["id"]
        constraints = [
            check("repairs_part_quantity_positive", Q(quantity__gte=1), _("The quantity must be at least 1.")),
            check("repairs_part_cost_not_negative", Q(unit_cost__gte=0), _("The unit cost cannot be negative.")),
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

    ticket = _ticket("escalations")
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


class TicketNotice(models.Model):
    """A notice the beat sends once per ticket and stage; the unique key makes a re-run send nothing twice."""

    class Kind(models.TextChoices):
        CONFIRM_REMINDER = "confirm_reminder", _("Reporter reminded to confirm")
        CONFIRM_ESCALATION = "confirm_escalation", _("Department head told: not confirmed")
        FALLBACK_30M = "fallback_30m", _("Not restored within 30 minutes")
        FALLBACK_6H = "fallback_6h", _("Not restored within 6 hours")
        FALLBACK_24H = "fallback_24h", _("Not restored within 24 hours")

    ticket = _ticket("notices")
    kind = models.CharField(_("notice"), max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("people told"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ticket notice")
        verbose_name_plural = _("ticket notices")
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "kind"],
                name="repairs_one_notice_per_stage",
                violation_error_message=_("This notice has already been sent."),
            ),
        ]

    def __str__(self):
        return f"{self.ticket} · {self.get_kind_display()}"


class FailureReport(models.Model):
    """故障排除报告 for a class-1 fault, due within two days after the repair."""

    ticket = _ticket("failure_report", models.OneToOneField)
    cause = models.TextField(_("cause of the fault"))
    timeline = models.TextField(_("timeline"))
    measures = models.TextField(_("preventive measures"))
    filed_by = person(_("filed by"))
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("failure report")
        verbose_name_plural = _("failure reports")

    def __str__(self):
        return f"{self.ticket} · {self._meta.verbose_name}"
