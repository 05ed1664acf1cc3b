"""Configuration changes (设备变更) of a device."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage, person
from portal.roles import has_role
from portal.scoping import ScopedQuerySet
from portal.workflow import Guard, StateField, not_same_person

from ..permissions import APPROVERS, CHANGE_READERS, PART_APPROVERS
from .equipment import Equipment


class ConfigChangeQuerySet(ScopedQuerySet):
    read_all_roles = CHANGE_READERS


def _decider(state, roles, message):
    """Who decides on a change waiting in ``state``."""
    return Guard(lambda change, user: change.state != state or has_role(user, *roles), message)


class ConfigChange(DetailPage, ConcurrentTransitionMixin, models.Model):
    """设备变更: topology, cabling, parameter or part changes, recorded with operator and reason."""

    class Kind(models.TextChoices):
        TOPOLOGY = "topology", _("Topology")
        CABLING = "cabling", _("Cabling")
        PARAMETER = "parameter", _("Parameter")
        PART = "part", _("Part")

    class State(models.TextChoices):
        PENDING_APPROVAL = "pending_approval", _("Awaiting IT head approval")
        PENDING_LEADER = "pending_leader", _("Awaiting leader approval")
        DONE = "done", _("Change done")
        REJECTED = "rejected", _("Rejected")

    AWAITING = (State.PENDING_APPROVAL, State.PENDING_LEADER)

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
        return self.state in self.AWAITING

    @staticmethod
    def initial_state(equipment, kind):
        """中心机房管理制度 一 4, 三 5: a parameter change to a server, router, firewall or core switch (one mounted in
        a machine-room rack) counts as done once the IT head approves it; replacing or adjusting a server part once
        the leader in charge (分管领导) does. Every other change is recorded as done."""
        code = equipment.category.code
        if kind == ConfigChange.Kind.PARAMETER and (
            code in ("server", "router", "firewall") or (code == "switch" and equipment.rack_id)
        ):
            return ConfigChange.State.PENDING_APPROVAL
        if kind == ConfigChange.Kind.PART and code == "server":
            return ConfigChange.State.PENDING_LEADER
        return ConfigChange.State.DONE

    DECIDERS = _decider(
        State.PENDING_APPROVAL,
        APPROVERS,
        _("Machine-room rules, item 4: parameter changes of servers and network devices are approved by the IT head."),
    ) & _decider(
        State.PENDING_LEADER,
        PART_APPROVERS,
        _("Machine-room rules, item 5: replacing or adjusting a server part is approved by the leader in charge."),
    )

    @transition(
        field=state,
        source=[State.PENDING_APPROVAL, State.PENDING_LEADER],
        target=State.DONE,
        permission=DECIDERS & not_same_person("operator", _("You cannot approve a change you made yourself.")),
        custom={"label": _("Approve"), "style": "success"},
    )
    def approve(self, *, by, comment=""):
        self.approver = by
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=[State.PENDING_APPROVAL, State.PENDING_LEADER],
        target=State.REJECTED,
        permission=DECIDERS & not_same_person("operator", _("You cannot decide on a change you made yourself.")),
        custom={"label": _("Reject"), "style": "danger", "needs_comment": True},
    )
    def reject(self, *, by, comment=""):
        self.approver = by
        self.decided_at = timezone.now()
