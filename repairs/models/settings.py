"""The fault vocabulary and the one row of repair limits."""

from datetime import timedelta

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.scoping import ScopedQuerySet

from ..permissions import SETTINGS_ROLES
from .fields import check


class FaultCategory(models.TextChoices):
    HARDWARE = "hardware", _("Hardware")
    SOFTWARE = "software", _("Software")
    NETWORK = "network", _("Network")
    PRINTER = "printer", _("Printer")
    APPLICATION = "application", _("HIS/LIS/PACS application")
    INSURANCE_LINE = "insurance_line", _("Medical-insurance line")
    OTHER = "other", _("Other")


class FaultClass(models.TextChoices):
    CLASS_1 = "1", _("Class 1 fault")
    CLASS_2 = "2", _("Class 2 fault")
    CLASS_3 = "3", _("Class 3 fault")
    OTHER = "other", _("Other fault")


def _fallback_departments(verbose_name):
    """Who switches to manual work when a class 1 fault passes one of the emergency plan's milestones."""
    return models.ManyToManyField(
        "accounts.Department",
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
        help_text=_("Told when a class 1 fault is still unresolved then, with the reporting department."),
    )


class RepairSettingsQuerySet(ScopedQuerySet):
    read_all_roles = SETTINGS_ROLES


class RepairSettings(models.Model):
    """The one row of repair limits, confirmation reminders and the departments told, edited by the IT head."""

    class1_response_minutes = models.PositiveIntegerField(_("class 1: response limit (minutes)"), default=15)
    class1_repair_minutes = models.PositiveIntegerField(_("class 1: repair limit (minutes)"), default=240)
    class2_response_minutes = models.PositiveIntegerField(_("class 2: response limit (minutes)"), default=60)
    class2_repair_minutes = models.PositiveIntegerField(_("class 2: repair limit (minutes)"), default=1440)
    class3_response_minutes = models.PositiveIntegerField(_("class 3: response limit (minutes)"), default=120)
    class3_repair_minutes = models.PositiveIntegerField(_("class 3: repair limit (minutes)"), default=480)
    other_response_minutes = models.PositiveIntegerField(_("other: response limit (minutes)"), default=60)
    other_repair_minutes = models.PositiveIntegerField(_("other: repair limit (minutes)"), default=1440)
    confirm_reminder_days = models.PositiveSmallIntegerField(
        _("remind the reporter to confirm after (days)"),
        default=7,
        validators=[MinValueValidator(1)],
        help_text=_("A repaired ticket the department has not confirmed reminds its reporter after this many days."),
    )
    confirm_escalation_days = models.PositiveSmallIntegerField(
        _("tell the department head after (days)"),
        default=14,
        validators=[MinValueValidator(2)],
        help_text=_("Still unconfirmed after this many days, the department head is told."),
    )
    insurance_departments = models.ManyToManyField(
        "accounts.Department",
        blank=True,
        related_name="+",
        verbose_name=_("departments coordinating medical-insurance faults"),
        help_text=_(
            "The finance office, the medical-insurance office and the outpatient office: told of such faults, they follow them."
        ),
    )
    fallback_30m_departments = _fallback_departments(_("departments going manual after 30 minutes"))
    fallback_6h_departments = _fallback_departments(_("departments going manual after 6 hours"))
    fallback_24h_departments = _fallback_departments(_("departments going manual after 24 hours"))
    history = HistoricalRecords()

    objects = RepairSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("repair settings")
        verbose_name_plural = _("repair settings")
        constraints = [
            check("repairs_settings_single_row", Q(pk=1), _("The repair settings exist only once.")),
            check(
                "repairs_settings_reminder_positive",
                Q(confirm_reminder_days__gte=1),
                _("The reminder to confirm waits at least one day."),
            ),
            check(
                "repairs_settings_escalation_after_reminder",
                Q(confirm_escalation_days__gt=F("confirm_reminder_days")),
                _("The department head is told after the reporter was reminded."),
            ),
        ]

    def __str__(self):
        return str(_("Repair settings"))

    @classmethod
    def current(cls):
        return cls.objects.get_or_create(pk=1)[0]

    def fallback_departments(self, milestone):
        """The departments configured for a milestone (``"30m"``, ``"6h"`` or ``"24h"``)."""
        return getattr(self, f"fallback_{milestone}_departments").all()

    def limits(self, fault_class):
        """(response, repair) limits of a fault class as timedeltas."""
        prefix = {"1": "class1", "2": "class2", "3": "class3"}.get(fault_class, "other")
        return (
            timedelta(minutes=getattr(self, f"{prefix}_response_minutes")),
            timedelta(minutes=getattr(self, f"{prefix}_repair_minutes")),
        )
