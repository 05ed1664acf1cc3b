"""External network access (《开通外网申请表》): internet for one computer."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage, person
from portal.roles import IT_ROLES, Role, has_role
from portal.workflow import Guard, StateField, role_required

from ..permissions import NOT_APPLICANT
from .common import RequestQuerySet, StateBadge
from .people import Department


class NetworkRequest(DetailPage, StateBadge, ConcurrentTransitionMixin, models.Model):
    """《开通外网申请表》: internet access for one computer, approved by a leader and set up by IT."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting leader approval")
        APPROVED = "approved", _("Awaiting IT set-up")
        ACTIVE = "active", _("Internet access open")
        REVOKED = "revoked", _("Revoked")
        REJECTED = "rejected", _("Rejected")

    STATE_STYLES = {State.ACTIVE: "success", State.REJECTED: "secondary", State.REVOKED: "secondary"}

    number = models.CharField(_("number"), max_length=30, unique=True)
    applicant = person(_("applicant"), related_name="network_requests")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department"))
    computer = models.ForeignKey(
        "inventory.Equipment", on_delete=models.PROTECT, related_name="network_requests", verbose_name=_("computer")
    )
    reason = models.TextField(_("reason"))
    state = StateField(_("status"), default=State.SUBMITTED, choices=State.choices, protected=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    approver = person(_("approved by (leader)"), optional=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), protocol="IPv4", null=True, blank=True)
    gateway = models.GenericIPAddressField(_("gateway"), protocol="IPv4", null=True, blank=True)
    dns = models.CharField(_("DNS"), max_length=100, blank=True)
    opened_by = person(_("set up by (IT)"), optional=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    revoked_by = person(_("revoked by"), optional=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    history = HistoricalRecords()

    objects = RequestQuerySet.as_manager()

    detail_url = "accounts:network_request_detail"

    class Meta:
        verbose_name = _("external network request")
        verbose_name_plural = _("external network requests")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ip_address"],
                condition=models.Q(state="active"),
                name="accounts_active_internet_ip_unique",
                violation_error_message=_(
                    "This IP address is already assigned to another computer with internet access."
                ),
            )
        ]
        indexes = [models.Index(fields=["state", "department"])]

    def __str__(self):
        return f"{self.number} · {self.department} · {self.computer_display}"

    @property
    def computer_display(self):
        return str(self.computer)

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.APPROVED,
        permission=role_required(Role.LEADER) & NOT_APPLICANT,
        custom={"label": _("Approve (leader)"), "style": "success"},
    )
    def approve(self, *, by, comment=""):
        self.approver, self.approved_at = by, timezone.now()

    @transition(
        field=state,
        source=[State.SUBMITTED, State.APPROVED],
        target=State.REJECTED,
        permission=Guard(
            lambda obj, user: has_role(
                user, Role.LEADER if obj.state == obj.State.SUBMITTED else Role.IT_OFFICER, Role.IT_HEAD
            ),
            _("Only the person who handles the current step may reject it."),
        )
        & NOT_APPLICANT,
        custom={"label": _("Reject"), "style": "outline-danger", "needs_comment": True},
    )
    def reject(self, *, by, comment=""):
        self.rejection_reason = comment

    @transition(
        field=state,
        source=State.APPROVED,
        target=State.ACTIVE,
        permission=role_required(*IT_ROLES)
        & NOT_APPLICANT
        & Guard(
            lambda obj, user: obj.approver_id != user.pk,
            _("You approved this request, so someone else must set it up."),
        ),
        custom={"label": _("Open internet access"), "style": "primary", "needs_comment": True},
    )
    def open_access(self, *, by, comment="", ip_address, gateway, dns):
        self.ip_address, self.gateway, self.dns = ip_address, gateway, dns
        self.opened_by, self.opened_at = by, timezone.now()

    @transition(
        field=state,
        source=State.ACTIVE,
        target=State.REVOKED,
        permission=role_required(*IT_ROLES),
        custom={"label": _("Revoke internet access"), "style": "danger", "needs_comment": True},
    )
    def revoke(self, *, by, comment=""):
        self.revoked_by, self.revoked_at = by, timezone.now()
