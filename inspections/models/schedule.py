"""What the scheduled tick leaves behind: the morning reminders sent and the periods missed."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .fields import one_per_period, period_fields
from .rooms import MachineRoom
from .scoping import ReadersQuerySet
from .templates import InspectionTemplate


class InspectionReminder(models.Model):
    """The morning reminder sent for one room and period; the unique row makes the tick send it once."""

    template = models.ForeignKey(
        InspectionTemplate, on_delete=models.CASCADE, related_name="+", verbose_name=_("template")
    )
    room = models.ForeignKey(
        MachineRoom, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("machine room")
    )
    period_start = models.DateField(_("period"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("inspection reminder")
        verbose_name_plural = _("inspection reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "room", "period_start"],
                name="one_reminder_per_room_per_period",
                violation_error_message=_("This room has already been reminded for this period."),
            )
        ]


class MissedInspection(models.Model):
    """漏检: a period that ended with no submitted round."""

    template, room, period_start = period_fields("missed")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    history = HistoricalRecords()

    objects = ReadersQuerySet.as_manager()

    class Meta:
        verbose_name = _("missed inspection")
        verbose_name_plural = _("missed inspections")
        ordering = ["-period_start"]
        constraints = one_per_period(
            "one_missed",
            _("This room's missed inspection is already recorded for this period."),
            _("The missed inspection is already recorded for this period."),
        )
        indexes = [models.Index(fields=["room", "period_start"])]

    def __str__(self):
        return f"{self.room or self.template} · {self.period_start}"
