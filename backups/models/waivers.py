"""A request to stop keeping a plan's off-site copy, decided by the IT head (000 数据备份工作制度 8)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage, person
from portal.workflow import Condition, StateField, role_required

from ..permissions import WAIVER_DECIDERS
from .common import RegisterQuerySet
from .targets import BackupTarget

STILL_REQUIRED = Condition(lambda waiver: waiver.target.offsite_copy, _("This plan no longer keeps an off-site copy."))


class OffsiteWaiver(DetailPage, ConcurrentTransitionMixin, models.Model):
    """异地存放豁免申请: the DBA or the IT head asks, with a reason, and only the IT head's approval turns it off."""

    NUMBER_PREFIX = "YDHM"

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting the IT head")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    number = models.CharField(_("number"), max_length=30, unique=True, editable=False)
    target = models.ForeignKey(
        BackupTarget, on_delete=models.PROTECT, related_name="offsite_waivers", verbose_name=_("backup target")
    )
    reason = models.TextField(_("reason"))
    requested_by = person(_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    state = StateField(_("status"), default=State.PENDING, choices=State.choices, protected=True)
    decided_by = person(_("decided by"), optional=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("IT head's comment"), blank=True)
    history = HistoricalRecords()

    objects = RegisterQuerySet.as_manager()

    detail_url = "backups:offsite_waiver_detail"

    class Meta:
        verbose_name = _("off-site copy waiver")
        verbose_name_plural = _("off-site copy waivers")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["target"],
                condition=Q(state="pending"),
                name="backups_one_pending_offsite_waiver",
                violation_error_message=_("This plan already has a waiver request awaiting the IT head."),
            )
        ]

    def __str__(self):
        return self.number

    def _decide(self, by, comment):
        self.decided_by, self.decided_at, self.decision_note = by, timezone.now(), comment

    @transition(
        field=state,
        source=State.PENDING,
        target=State.APPROVED,
        conditions=[STILL_REQUIRED],
        permission=role_required(*WAIVER_DECIDERS),
        custom={"label": _("Approve (IT head)"), "style": "success"},
    )
    def approve(self, *, by, comment=""):
        self._decide(by, comment)

    @transition(
        field=state,
        source=State.PENDING,
        target=State.REJECTED,
        permission=role_required(*WAIVER_DECIDERS),
        custom={"label": _("Reject"), "style": "outline-danger", "needs_comment": True},
    )
    def reject(self, *, by, comment=""):
        self._decide(by, comment)
