"""Corrections and withdrawals shown on the public page (应急处置)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.fields import person

from .items import DisclosureItem


class PublicNotice(models.Model):
    """A correction or withdrawal shown on the public page (应急处置)."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        WITHDRAWAL = "withdrawal", _("Withdrawal")

    item = models.ForeignKey(DisclosureItem, on_delete=models.CASCADE, related_name="notices", verbose_name=_("item"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    note = models.TextField(_("public note"))
    made_by = person(_("handler"))
    made_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    applied_at = models.DateTimeField(_("corrected version published at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["made_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.item.number}"
