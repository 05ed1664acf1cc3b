"""Signed agreements on record (医院信息系统保密制度 7; 医院防统方管理制度 四): who signed what, and when."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.fields import person
from portal.scoping import ScopedQuerySet

from ..permissions import AGREEMENT_READERS


class AgreementQuerySet(ScopedQuerySet):
    read_all_roles = AGREEMENT_READERS
    own_paths = ("signatory",)

    def of(self, user, kind):
        return self.filter(signatory=user, kind=kind, withdrawn_at__isnull=True)


class Agreement(models.Model):
    """A 保密协议 (before IT work) or a 信息保密承诺书 (before any drug or consumable statistics query)."""

    class Kind(models.TextChoices):
        CONFIDENTIALITY = "confidentiality", _("Information system confidentiality agreement (保密协议)")
        STATISTICS_PLEDGE = "statistics_pledge", _("Information confidentiality pledge (保密承诺书)")

    signatory = person(_("signed by"), related_name="agreements")
    kind = models.CharField(_("agreement"), max_length=20, choices=Kind.choices)
    signed_on = models.DateField(_("signed on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = person(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("signed agreement")
        verbose_name_plural = _("signed agreements")
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["signatory", "kind"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="accounts_one_agreement_in_force_per_kind",
                violation_error_message=_("This person already has this agreement on record."),
            )
        ]

    def __str__(self):
        return f"{self.signatory} · {self.get_kind_display()}"
