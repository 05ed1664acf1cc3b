"""Access recertification (权限复核): each quarter department heads confirm or revoke their staff's grants."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage, person
from portal.scoping import ScopedQuerySet

from ..permissions import READS_ALL, RECERTIFICATION_ROLES
from .access import Grant
from .people import Department


class RecertificationCampaignQuerySet(ScopedQuerySet):
    read_all_roles = RECERTIFICATION_ROLES


class RecertificationCampaign(DetailPage, models.Model):
    """权限复核: each quarter every department head confirms or revokes each grant of their staff."""

    quarter = models.CharField(_("quarter"), max_length=7, unique=True, help_text=_("For example 2026Q4."))
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    due_on = models.DateField(_("answer by"))
    history = HistoricalRecords()

    objects = RecertificationCampaignQuerySet.as_manager()

    detail_url = "accounts:recertification_detail"

    class Meta:
        verbose_name = _("recertification campaign")
        verbose_name_plural = _("recertification campaigns")
        ordering = ["-opened_at"]

    def __str__(self):
        return _("Access recertification %(quarter)s") % {"quarter": self.quarter}

    @property
    def is_past_due(self):
        return self.due_on < timezone.localdate()


class RecertificationItemQuerySet(ScopedQuerySet):
    """IT, leaders and the auditor see every answer; a reviewer the items named for them."""

    read_all_roles = READS_ALL
    own_paths = ("reviewer",)


class RecertificationItem(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("Awaiting answer")
        CONFIRMED = "confirmed", _("Confirmed")
        REVOKED = "revoked", _("Revoked")

    campaign = models.ForeignKey(
        RecertificationCampaign, on_delete=models.CASCADE, related_name="items", verbose_name=_("campaign")
    )
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="recertifications", verbose_name=_("grant"))
    reviewer = person(_("reviewer"))
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("department")
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = RecertificationItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("recertification item")
        verbose_name_plural = _("recertification items")
        ordering = ["department__code", "grant__user__full_name", "grant__system__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "grant"],
                name="accounts_recertify_grant_once_per_campaign",
                violation_error_message=_("This access is already in this recertification campaign."),
            )
        ]
        indexes = [models.Index(fields=["reviewer", "decision"]), models.Index(fields=["campaign", "decision"])]

    def __str__(self):
        return str(self.grant)

    @property
    def is_pending(self):
        return self.decision == self.Decision.PENDING

    @property
    def is_escalated(self):
        """Still unanswered after it went to the IT head and leaders."""
        return self.is_pending and self.escalated_at is not None
