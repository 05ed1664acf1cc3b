"""Columns and rules the app's models share: the rows kept once per period."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def period_fields(related_name):
    """The template, the machine room (none for the workstations) and the first day of the period."""
    return (
        models.ForeignKey(
            "inspections.InspectionTemplate",
            on_delete=models.PROTECT,
            related_name=related_name,
            verbose_name=_("template"),
        ),
        models.ForeignKey(
            "inspections.MachineRoom",
            on_delete=models.PROTECT,
            null=True,
            blank=True,
            related_name=related_name,
            verbose_name=_("machine room"),
        ),
        models.DateField(_("period")),
    )


def one_per_period(prefix, room_message, workstations_message):
    """One row per room and period, and one per period for the workstations (no room)."""
    return [
        models.UniqueConstraint(
            fields=["template", "room", "period_start"],
            condition=models.Q(room__isnull=False),
            name=f"{prefix}_per_room_per_period",
            violation_error_message=room_message,
        ),
        models.UniqueConstraint(
            fields=["template", "period_start"],
            condition=models.Q(room__isnull=True),
            name=f"{prefix}_per_period",
            violation_error_message=workstations_message,
        ),
    ]
