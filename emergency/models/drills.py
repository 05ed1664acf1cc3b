"""Emergency drills (001 八(八) 应急预案演练): a plan per scenario with its interval, and the drills held."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.fields import AppendOnly, DetailPage, person
from portal.scoping import ScopedQuerySet

from ..permissions import READERS

DUE_SOON_DAYS = 30
"""A drill due within this many days is shown as due soon."""
APPEND_ONLY = "Drill records are append-only: they are written by emergency.services.drill_record alone."


class DueStatus(models.TextChoices):
    OVERDUE = "overdue", _("Overdue")
    DUE_SOON = "due_soon", _("Due soon")
    ON_SCHEDULE = "on_schedule", _("On schedule")


class DrillPlanQuerySet(ScopedQuerySet):
    read_all_roles = READERS

    def with_last_drill(self):
        """Each plan with ``last_drill_at``, the time of its latest drill, in the same query."""
        return self.annotate(last_drill_at=Max("records__held_at"))


class DrillPlan(DetailPage, models.Model):
    """One scenario of the emergency plan rehearsed every ``interval_days`` (核心交换机故障, HIS数据库服务器宕机…)."""

    scenario = models.CharField(_("scenario"), max_length=200)
    plan_chapter = models.CharField(
        _("emergency-plan chapter"),
        max_length=200,
        help_text=_("The part of the emergency plan the drill rehearses, e.g. 001 八(五) 网络整体故障."),
    )
    interval_days = models.PositiveIntegerField(
        _("interval (days)"), default=180, validators=[MinValueValidator(1), MaxValueValidator(1095)]
    )
    starts_on = models.DateField(
        _("plan start"), default=timezone.localdate, help_text=_("The first drill is due one interval after this day.")
    )
    owner = person(_("owner"))
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = DrillPlanQuerySet.as_manager()

    detail_url = "emergency:plan_detail"

    class Meta:
        verbose_name = _("drill plan")
        verbose_name_plural = _("drill plans")
        ordering = ["scenario", "pk"]

    def __str__(self):
        return self.scenario

    @property
    def last_drill_on(self) -> datetime.date | None:
        """The local day of the latest drill (from ``with_last_drill()`` when the row was read with it)."""
        if "last_drill_at" in self.__dict__:
            held_at = self.last_drill_at
        else:
            held_at = self.records.aggregate(last=Max("held_at"))["last"]
        return timezone.localdate(held_at) if held_at else None

    @property
    def due_on(self) -> datetime.date:
        """The next drill is due one interval after the last one, or after the plan's start if none was held."""
        return (self.last_drill_on or self.starts_on) + datetime.timedelta(days=self.interval_days)

    def due_status(self, today: datetime.date | None = None) -> str:
        today = today or timezone.localdate()
        due = self.due_on
        if due < today:
            return DueStatus.OVERDUE
        if due <= today + datetime.timedelta(days=DUE_SOON_DAYS):
            return DueStatus.DUE_SOON
        return DueStatus.ON_SCHEDULE


class DrillRecordQuerySet(ScopedQuerySet):
    read_all_roles = READERS

    def update(self, **kwargs):
        raise ValueError(APPEND_ONLY)

    def delete(self):
        raise ValueError(APPEND_ONLY)


class DrillRecord(AppendOnly, DetailPage, models.Model):
    """One drill held: when, who took part, what was done, how long the restore took, what was found and improved."""

    append_only = APPEND_ONLY

    plan = models.ForeignKey(DrillPlan, on_delete=models.PROTECT, related_name="records", verbose_name=_("drill plan"))
    held_at = models.DateTimeField(_("held at"))
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("participants"))
    activities = models.TextField(_("drill content"))
    restore_minutes = models.PositiveIntegerField(
        _("time to restore (minutes)"), validators=[MaxValueValidator(60 * 24 * 14)]
    )
    problems = models.TextField(_("problems found"), blank=True)
    improvements = models.TextField(_("improvements"), blank=True)
    recorded_by = person(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = DrillRecordQuerySet.as_manager()

    detail_url = "emergency:drill_detail"

    class Meta:
        verbose_name = _("drill record")
        verbose_name_plural = _("drill records")
        ordering = ["-held_at", "-pk"]

    def __str__(self):
        return f"{self.plan} · {timezone.localtime(self.held_at):%Y-%m-%d}"
