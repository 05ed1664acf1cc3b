"""The ledger: one entry per step in a device's life."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.fields import person

from .equipment import Equipment


class LedgerEntry(models.Model):
    """One step in a device's life, as the policy's ledger records it: who, when, from/to where, why."""

    class Kind(models.TextChoices):
        REGISTER = "register", _("Registered")
        ISSUE = "issue", _("Issued")
        INSTALL = "install", _("Installed")
        SWAP_OUT = "swap_out", _("Swapped out")
        SWAP_IN = "swap_in", _("Swapped in")
        TRANSFER = "transfer", _("Transferred")
        SEND_TO_REPAIR = "send_to_repair", _("Sent to repair")
        RETURN_FROM_REPAIR = "return_from_repair", _("Returned from repair")
        MAKE_SPARE = "make_spare", _("Added to spare pool")
        WITHDRAW_SPARE = "withdraw_spare", _("Withdrawn from spare pool")
        LEND = "lend", _("Lent")
        LOAN_RETURN = "loan_return", _("Loan returned")
        REQUEST_SCRAP = "request_scrap", _("Scrap requested")
        APPROVE_SCRAP = "approve_scrap", _("Scrapped")
        REJECT_SCRAP = "reject_scrap", _("Scrap request rejected")
        CONFIG_CHANGE = "config_change", _("Configuration changed")
        STOCKTAKE_CORRECTION = "stocktake_correction", _("Location corrected by stocktake")
        IMPORT = "import", _("Imported")

    equipment = models.ForeignKey(
        Equipment, on_delete=models.CASCADE, related_name="ledger", verbose_name=_("equipment")
    )
    kind = models.CharField(_("step"), max_length=30, choices=Kind.choices)
    from_status = models.CharField(_("from status"), max_length=20, choices=Equipment.Status.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=Equipment.Status.choices, blank=True)
    from_department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from department"),
    )
    to_department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to department"),
    )
    from_location = models.CharField(_("from location"), max_length=200, blank=True)
    to_location = models.CharField(_("to location"), max_length=200, blank=True)
    related_equipment = models.ForeignKey(
        Equipment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("related device"),
    )
    actor = person(_("handler"))
    reason = models.TextField(_("reason for this step"), blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["equipment", "created_at"], name="inv_ledger_equipment_time")]

    def __str__(self):
        return f"{self.equipment.asset_no} {self.get_kind_display()}"
