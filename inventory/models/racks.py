"""Racks in the machine rooms, whose U positions devices are mounted at."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage
from portal.scoping import ScopedQuerySet

from ..permissions import READ_ALL_ROLES


class RackQuerySet(ScopedQuerySet):
    read_all_roles = READ_ALL_ROLES


class Rack(DetailPage, models.Model):
    room = models.CharField(_("machine room"), max_length=50)
    name = models.CharField(_("rack"), max_length=30)
    height_u = models.PositiveSmallIntegerField(_("height (U)"), default=42)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = RackQuerySet.as_manager()

    detail_url = "inventory:rack_detail"

    class Meta:
        verbose_name = _("rack")
        verbose_name_plural = _("racks")
        ordering = ["room", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "name"],
                name="inventory_rack_unique_name_in_room",
                violation_error_message=_("This room already has a rack of this name."),
            ),
            models.CheckConstraint(
                condition=Q(height_u__gte=1) & Q(height_u__lte=60),
                name="inventory_rack_height_range",
                violation_error_message=_("A rack is 1 to 60 U high."),
            ),
        ]

    def __str__(self):
        return f"{self.room} / {self.name}"
