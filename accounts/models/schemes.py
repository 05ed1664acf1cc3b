"""Access schemes (权限分配方案, 001 一(三)8 and (四)4): which posts each module of a system is allotted to.

The system's owner proposes a scheme and the leading group (a leader) approves it; a permission request may ask
only for modules of the system's current scheme, the newest approved one. Earlier approved schemes are kept,
superseded.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage, person
from portal.roles import Role, is_confined
from portal.workflow import StateField, not_same_person, role_required

from .access import InformationSystem, SystemModule
from .common import StateBadge


class AccessSchemeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Like the list of systems, their schemes are open to every member of staff: they say what one may ask for."""
        return self if user.is_authenticated and not is_confined(user) else self.none()

    def current(self):
        """Approved schemes in force: one per system at most, since approving one supersedes the one before."""
        return self.filter(state=AccessScheme.State.APPROVED)


class AccessScheme(DetailPage, StateBadge, ConcurrentTransitionMixin, models.Model):
    """One version of an information system's scheme, proposed by its owner and approved by a leader."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting leader approval")
        APPROVED = "approved", _("In force")
        SUPERSEDED = "superseded", _("Superseded")
        REJECTED = "rejected", _("Rejected")

    STATE_STYLES = {State.APPROVED: "success", State.SUPERSEDED: "secondary", State.REJECTED: "danger"}

    system = models.ForeignKey(
        InformationSystem, on_delete=models.PROTECT, related_name="schemes", verbose_name=_("information system")
    )
    version = models.PositiveIntegerField(_("version"))
    note = models.TextField(_("note"), blank=True)
    state = StateField(_("status"), default=State.PROPOSED, choices=State.choices, protected=True)
    proposed_by = person(_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    decided_by = person(_("decided by (leader)"), optional=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = AccessSchemeQuerySet.as_manager()

    detail_url = "accounts:scheme_detail"

    class Meta:
        verbose_name = _("access scheme")
        verbose_name_plural = _("access schemes")
        ordering = ["system__tier", "system__code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "version"],
                name="accounts_scheme_version_unique_per_system",
                violation_error_message=_("This system already has a scheme of this version."),
            ),
            models.UniqueConstraint(
                fields=["system"],
                condition=models.Q(state="proposed"),
                name="accounts_one_proposed_scheme_per_system",
                violation_error_message=_("A scheme of this system is already awaiting the leader's approval."),
            ),
        ]

    def __str__(self):
        return _("%(system)s access scheme v%(version)s") % {"system": self.system.name, "version": self.version}

    _leader = role_required(Role.LEADER)
    _not_proposer = not_same_person("proposed_by", _("No one approves the scheme they proposed."))

    @transition(
        field=state,
        source=State.PROPOSED,
        target=State.APPROVED,
        permission=_leader & _not_proposer,
        custom={"label": _("Approve scheme"), "style": "success"},
    )
    def approve(self, *, by, comment=""):
        self.decided_by, self.decided_at = by, timezone.now()

    @transition(
        field=state,
        source=State.PROPOSED,
        target=State.REJECTED,
        permission=_leader & _not_proposer,
        custom={"label": _("Reject"), "style": "outline-danger", "needs_comment": True},
    )
    def reject(self, *, by, comment=""):
        self.decided_by, self.decided_at = by, timezone.now()
        self.rejection_reason = comment

    @transition(field=state, source=State.APPROVED, target=State.SUPERSEDED)
    def supersede(self, *, by=None, comment=""):
        self.superseded_at = timezone.now()


class AccessSchemeLine(models.Model):
    """One module of the scheme and whom it is allotted to (posts or departments, e.g. 门诊医生、门诊护士)."""

    scheme = models.ForeignKey(AccessScheme, on_delete=models.CASCADE, related_name="lines", verbose_name=_("scheme"))
    module = models.ForeignKey(
        SystemModule, on_delete=models.PROTECT, related_name="scheme_lines", verbose_name=_("module or role")
    )
    allotted_to = models.CharField(_("allotted to"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scheme line")
        verbose_name_plural = _("scheme lines")
        ordering = ["scheme", "module__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "module"],
                name="accounts_scheme_line_unique_module",
                violation_error_message=_("The scheme already lists this module."),
            )
        ]

    def __str__(self):
        return f"{self.module.name}: {self.allotted_to}"


def request_scope_refusal(system, modules) -> str | None:
    """Why a request to add or change access may not ask for ``modules`` of ``system`` (001 一(三)8), or ``None``.

    The modules must be in the system's current approved scheme; a system without one accepts no new request.
    """
    allotted = set(
        AccessSchemeLine.objects.filter(scheme__system=system, scheme__state=AccessScheme.State.APPROVED).values_list(
            "module_id", flat=True
        )
    )
    if not allotted:
        return _(
            "%(system)s has no access scheme approved by the leading group, so it accepts no new requests "
            "(001 一(三)8)."
        ) % {"system": system.name}
    outside = [module.name for module in modules if module.pk not in allotted]
    if outside:
        return _("Not in the access scheme approved by the leading group (001 一(三)8): %(modules)s.") % {
            "modules": "、".join(outside)
        }
    return None
