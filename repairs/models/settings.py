"""The fault vocabulary and the one row of repair limits."""

from datetime import timedelta

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
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
    OTHER = "other", _("Other")


class FaultClass(models.TextChoices):
    CLASS_1 = "1", _("Class 1 fault")
    CLASS_2 = "2", _("Class 2 fault")
    CLASS_3 = "3", _("Class 3 fault")
    OTHER = "other", _("Other fault")


class RepairSettingsQuerySet(ScopedQuerySet):
    read_all_roles = SETTINGS_ROLES


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

    objects = RepairSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("repair settings")
        verbose_name_plural = _("repair settings")
        constraints = [
            check("repairs_settings_single_row", Q(pk=1), _("The repair settings exist only once.")),
            check(
                "repairs_settings_auto_close_positive",
                Q(auto_close_days__gte=1),
                _("Automatic closing waits at least one day."),
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
