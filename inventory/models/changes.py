"""Configuration changes (设备变更) of a device."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage, person
from portal.scoping import ScopedQuerySet
from portal.workflow import StateField, not_same_person

from ..permissions import APPROVERS_ONLY, READ_ALL_ROLES
from .equipment import Equipment


class ConfigChangeQuerySet(ScopedQuerySet):
    read_all_roles = READ_ALL_ROLES


class ConfigChange(DetailPage, ConcurrentTransitionMixin, models.Model):
    """设备变更: topology, cabling, parameter or part changes, recorded with operator and reason."""

    class Kind(models.TextChoices):
        TOPOLOGY = "topology", _("Topology")
        CABLING = "cabling", _("Cabling")
        PARAMETER = "parameter", _("Parameter")
        PART = "part", _("Part")

    class State(models.TextChoices):
        PENDING_APPROVAL = "pending_approval", _("Awaiting IT head approval")
        DONE = "done", _("Change done")
        REJECTED = "rejected", _("Rejected")

    equipment = models.ForeignKey(
        Equipment, on_delete=models.PROTECT, related_name="config_changes", verbose_name=_("equipment")
    )
    kind = models.CharField(_("kind of change"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("what was changed"))
    reason = models.TextField(_("reason for this step"))
    operator = person(_("operator"))
    performed_at = models.DateTimeField(_("time of change"), default=timezone.now)
    state = StateField(_("status"), default=State.DONE, choices=State.choices, protected=True)
    approver = person(_("approved by"), optional=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ConfigChangeQuerySet.as_manager()

    detail_url = "inventory:change_detail"

    class Meta:
        verbose_name = _("configuration change")
        verbose_name_plural = _("configuration changes")
        ordering = ["-performed_at", "-id"]
        indexes = [models.Index(fields=["state", "performed_at"], name="inv_change_state_time")]

    def __str__(self):
        return f"{self.equipment.asset_no} {self.get_kind_display()}"

    @property
    def awaits_approval(self):
        return self.state == self.State.PENDING_APPROVAL

    @staticmethod
    def needs_approval_for(equipment, kind):
        """Policy: a server's parameter change counts as done only once the IT head approves it."""
        return kind == ConfigChange.Kind.PARAMETER and equipment.category.code == "server"

    @transition(
        field=state,
        source=State.PENDING_APPROVAL,
        target=State.DONE,
        permission=APPROVERS_ONLY & not_same_person("operator", _("You cannot approve a change you made yourself.")),
        custom={"label": _("Approve"), "style": "success"},
    )
    def approve(self, *, by, comment=""):
        self.approver = by
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=State.PENDING_APPROVAL,
        target=State.REJECTED,
        permission=APPROVERS_ONLY & not_same_person("operator", _("You cannot decide on a change you made yourself.")),
        custom={"label": _("Reject"), "style": "danger", "needs_comment": True},
    )
    def reject(self, *, by, comment=""):
        self.approver = by
        self.decided_at = timezone.now()
