"""Inspection templates: a checklist lineage, its numbered versions and their items."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage, person

from .scoping import ReadersQuerySet


def limits_label(low, high, unit):
    """“18–28 °C”, “≤ 80 %” or “” for the allowed range of a reading."""
    if low is None and high is None:
        return ""
    if low is None:
        return f"≤ {high.normalize():f} {unit}".strip()
    if high is None:
        return f"≥ {low.normalize():f} {unit}".strip()
    return f"{low.normalize():f}–{high.normalize():f} {unit}".strip()


class InspectionTemplate(DetailPage, models.Model):
    """A checklist lineage; its items live in numbered versions so past rounds keep the wording they used."""

    class Target(models.TextChoices):
        MACHINE_ROOM = "machine_room", _("Machine rooms")
        WORKSTATIONS = "workstations", _("Systems and workstations")

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        MONTHLY = "monthly", _("Monthly")

    name = models.CharField(_("name"), max_length=100, unique=True)
    target = models.CharField(_("applies to"), max_length=20, choices=Target.choices)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    objects = ReadersQuerySet.as_manager()

    detail_url = "inspections:template_detail"

    class Meta:
        verbose_name = _("inspection template")
        verbose_name_plural = _("inspection templates")
        ordering = ["frequency", "name"]
        constraints = [
            # Machine rooms are inspected every day, workstations every month (policy 000 / 001 五).
            models.CheckConstraint(
                condition=models.Q(target="machine_room", frequency="daily")
                | models.Q(target="workstations", frequency="monthly"),
                name="template_target_frequency",
                violation_error_message=_("Machine rooms are inspected daily and workstations monthly."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def current_version(self):
        return self.versions.order_by("-number").first()

    def period_start(self, day: datetime.date) -> datetime.date:
        return day.replace(day=1) if self.frequency == self.Frequency.MONTHLY else day


class TemplateVersion(models.Model):
    template = models.ForeignKey(
        InspectionTemplate, on_delete=models.PROTECT, related_name="versions", verbose_name=_("template")
    )
    number = models.PositiveIntegerField(_("version"))
    change_note = models.CharField(_("what changed"), max_length=200, blank=True)
    created_by = person(_("edited by"), optional=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ReadersQuerySet.as_manager()

    class Meta:
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"],
                name="template_version_number_unique",
                violation_error_message=_("This template already has a version with this number."),
            )
        ]

    def __str__(self):
        return f"{self.template} v{self.number}"


class TemplateItem(models.Model):
    class Group(models.TextChoices):
        POWER = "power", _("Power / UPS")
        SERVERS = "servers", _("Servers")
        ENVIRONMENT = "environment", _("Machine-room environment")
        NETWORK_DEVICES = "network_devices", _("Network devices")
        NETWORK_CHANNELS = "network_channels", _("Network channels")
        WORKSTATION_HARDWARE = "workstation_hardware", _("Workstation hardware")
        WORKSTATION_SOFTWARE = "workstation_software", _("Systems and software")
        SECURITY = "security", _("Virus protection and security")

    class Kind(models.TextChoices):
        CHECK = "check", _("Check (normal / abnormal)")
        READING = "reading", _("Reading")

    class Measure(models.TextChoices):
        TEMPERATURE = "temperature", _("Temperature (room limits)")
        HUMIDITY = "humidity", _("Humidity (room limits)")
        OTHER = "other", _("Other (limits below)")

    version = models.ForeignKey(
        TemplateVersion, on_delete=models.CASCADE, related_name="items", verbose_name=_("version")
    )
    group = models.CharField(_("group"), max_length=30, choices=Group.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    label = models.CharField(_("inspection item"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CHECK)
    measure = models.CharField(_("measure"), max_length=15, choices=Measure.choices, blank=True)
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    low_limit = models.DecimalField(_("lower limit"), max_digits=7, decimal_places=1, null=True, blank=True)
    high_limit = models.DecimalField(_("upper limit"), max_digits=7, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("inspection item")
        verbose_name_plural = _("inspection items")
        ordering = ["version", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(low_limit__isnull=True)
                | models.Q(high_limit__isnull=True)
                | models.Q(low_limit__lt=models.F("high_limit")),
                name="template_item_limit_range",
                violation_error_message=_("The lower limit must be below the upper limit."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind="check", measure="") | models.Q(kind="reading") & ~models.Q(measure=""),
                name="template_item_reading_has_measure",
                violation_error_message=_("A reading needs a measure; a check has none."),
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def limits_label(self):
        return limits_label(self.low_limit, self.high_limit, self.unit)

    @property
    def has_room_limits(self):
        """Temperature and humidity are held to each machine room's own limits."""
        return self.measure in ROOM_LIMIT_FIELDS

    def limits_in(self, room):
        if self.kind != self.Kind.READING:
            return None, None
        if room is not None and self.has_room_limits:
            low, high = ROOM_LIMIT_FIELDS[self.measure]
            return getattr(room, low), getattr(room, high)
        return self.low_limit, self.high_limit


ROOM_LIMIT_FIELDS = {
    TemplateItem.Measure.TEMPERATURE: ("temperature_min", "temperature_max"),
    TemplateItem.Measure.HUMIDITY: ("humidity_min", "humidity_max"),
}
