"""Machine rooms and the limits their readings are held to."""

import datetime
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage

from .scoping import ReadersQuerySet


class MachineRoom(DetailPage, models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    location = models.CharField(_("location"), max_length=100, blank=True)
    commissioned_on = models.DateField(_("in service since"), default=datetime.date.today)
    temperature_min = models.DecimalField(
        _("lowest temperature (°C)"), max_digits=4, decimal_places=1, default=Decimal("18")
    )
    temperature_max = models.DecimalField(
        _("highest temperature (°C)"), max_digits=4, decimal_places=1, default=Decimal("28")
    )
    humidity_min = models.DecimalField(_("lowest humidity (%)"), max_digits=4, decimal_places=1, default=Decimal("35"))
    humidity_max = models.DecimalField(_("highest humidity (%)"), max_digits=4, decimal_places=1, default=Decimal("75"))
    reminder_time = models.TimeField(
        _("reminder time"),
        default=datetime.time(10, 0),
        help_text=_("With no round by this time, IT officers are reminded."),
    )
    deadline_time = models.TimeField(
        _("end-of-day time"),
        default=datetime.time(17, 30),
        help_text=_("With no submitted round by this time, a missed inspection is recorded and the IT head notified."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    objects = ReadersQuerySet.as_manager()

    detail_url = "inspections:room_detail"

    class Meta:
        verbose_name = _("machine room")
        verbose_name_plural = _("machine rooms")
        ordering = ["name"]
        # Given and taken by inspections.services.room_assign / room_unassign (django-guardian, per room).
        permissions = [("record_rounds", _("Record the rounds of this machine room"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(temperature_min__lt=models.F("temperature_max")),
                name="room_temperature_range",
                violation_error_message=_("The lowest temperature must be below the highest."),
            ),
            models.CheckConstraint(
                condition=models.Q(humidity_min__lt=models.F("humidity_max")),
                name="room_humidity_range",
                violation_error_message=_("The lowest humidity must be below the highest."),
            ),
            models.CheckConstraint(
                condition=models.Q(reminder_time__lt=models.F("deadline_time")),
                name="room_reminder_before_deadline",
                violation_error_message=_("The reminder must come before the deadline."),
            ),
        ]

    def __str__(self):
        return self.name
