"""Access requests: information systems and their modules, permission requests and the grants they give."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, transition
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage, person
from portal.roles import IT_ROLES, Role, has_role, is_confined
from portal.scoping import ScopedQuerySet
from portal.workflow import Guard, StateField, role_required

from ..permissions import DEPT_HEAD_HERE, GRANT_READERS, PROVISIONERS
from .common import RequestQuerySet, StateBadge
from .people import Department


class Tier(models.IntegerChoices):
    TIER_1 = 1, _("Tier 1")
    TIER_2 = 2, _("Tier 2")
    TIER_3 = 3, _("Tier 3")


class InformationSystemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The list of information systems is open to every member of staff (not to people from outside the hospital)."""
        return self if user.is_authenticated and not is_confined(user) else self.none()


class InformationSystem(DetailPage, models.Model):
    """An information system staff get access to (HIS, EMR, LIS, PACS…), with its importance tier and owner."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    tier = models.PositiveSmallIntegerField(_("tier"), choices=Tier.choices, default=Tier.TIER_3)
    owner = person(_("system owner"), optional=True, related_name="owned_systems")
    description = models.CharField(_("description"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = InformationSystemQuerySet.as_manager()

    detail_url = "accounts:system_detail"

    class Meta:
        verbose_name = _("information system")
        verbose_name_plural = _("information systems")
        ordering = ["tier", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tier__in=[1, 2, 3]),
                name="accounts_system_tier_1_to_3",
                violation_error_message=_("The classification tier must be 1, 2 or 3."),
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def needs_it_head(self):
        return self.tier in (Tier.TIER_1, Tier.TIER_2)


class SystemModule(models.Model):
    """A module or role inside an information system that one can request."""

    system = models.ForeignKey(
        InformationSystem, on_delete=models.CASCADE, related_name="modules", verbose_name=_("information system")
    )
    name = models.CharField(_("module or role"), max_length=60)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("module or role")
        verbose_name_plural = _("modules and roles")
        ordering = ["system", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "name"],
                name="accounts_module_unique_per_system",
                violation_error_message=_("This system already has a module of this name."),
            )
        ]

    def __str__(self):
        return f"{self.system.code} · {self.name}"


class CurrentHandler(Guard):
    """Who handles the request's current step; at the department head's step, the head's own guard and reason."""

    def refusal(self, request, user):
        if request.state == PermissionRequest.State.SUBMITTED:
            return DEPT_HEAD_HERE.refusal(request, user)
        return super().refusal(request, user)

    def principal(self, request, user):
        return DEPT_HEAD_HERE.principal(request, user) if request.state == PermissionRequest.State.SUBMITTED else None


class PermissionRequestQuerySet(RequestQuerySet):
    read_all_roles = (*RequestQuerySet.read_all_roles, *PROVISIONERS)
    own_paths = ("applicant", "subject")


class PermissionRequest(DetailPage, StateBadge, ConcurrentTransitionMixin, models.Model):
    """《信息系统用户权限新增更改注销申请表》: add, change or revoke one user's access to one system."""

    class Kind(models.TextChoices):
        ADD = "add", _("Add")
        CHANGE = "change", _("Change")
        REVOKE = "revoke", _("Revoke")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting department head")
        DEPT_APPROVED = "dept_approved", _("Awaiting IT head")
        APPROVED = "approved", _("Awaiting provisioning")
        COMPLETED = "completed", _("Completed")
        REJECTED = "rejected", _("Rejected")

    STATE_STYLES = {State.COMPLETED: "success", State.REJECTED: "danger"}

    number = models.CharField(_("number"), max_length=30, unique=True)
    kind = models.CharField(_("request type"), max_length=10, choices=Kind.choices, default=Kind.ADD)
    applicant = person(_("applicant"))
    subject = person(_("for user"), related_name="permission_requests")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department"))
    system = models.ForeignKey(
        InformationSystem, on_delete=models.PROTECT, related_name="requests", verbose_name=_("information system")
    )
    modules = models.ManyToManyField(SystemModule, blank=True, related_name="+", verbose_name=_("modules and roles"))
    reason = models.TextField(_("reason"))
    ends_on = models.DateField(
        _("access ends on"), null=True, blank=True, help_text=_("Leave empty for access without an end date.")
    )
    grant = models.ForeignKey(
        "Grant", on_delete=models.PROTECT, null=True, blank=True, related_name="requests", verbose_name=_("grant")
    )
    state = StateField(_("status"), default=State.SUBMITTED, choices=State.choices, protected=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    dept_approver = person(_("department head"), optional=True)
    dept_approved_at = models.DateTimeField(_("department head signed at"), null=True, blank=True)
    it_approver = person(_("IT head"), optional=True)
    it_approved_at = models.DateTimeField(_("IT head signed at"), null=True, blank=True)
    provisioner = person(_("handled by (IT)"), optional=True)
    account_name = models.CharField(_("account name in the system"), max_length=60, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    history = HistoricalRecords()

    objects = PermissionRequestQuerySet.as_manager()

    detail_url = "accounts:request_detail"

    class Meta:
        verbose_name = _("permission request")
        verbose_name_plural = _("permission requests")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "department"]),
            models.Index(fields=["submitted_at"]),
            models.Index(fields=["completed_at"]),
        ]

    def __str__(self):
        return f"{self.number} {self.get_kind_display()} · {self.system.name} · {self.subject}"

    def clean(self):
        if self.ends_on and self.ends_on <= timezone.localdate() and self._state.adding:
            raise ValidationError({"ends_on": _("The end date must be in the future.")})

    _not_applicant = Guard(
        lambda request, user: user.pk not in (request.applicant_id, request.subject_id),
        _("No one approves their own request."),
    )
    _not_approver = Guard(
        lambda request, user: user.pk not in (request.dept_approver_id, request.it_approver_id),
        _("You approved this request, so someone else must provision it."),
    )

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=RETURN_VALUE(State.DEPT_APPROVED, State.APPROVED),
        permission=DEPT_HEAD_HERE & _not_applicant,
        custom={"label": _("Approve (department head)"), "style": "success"},
    )
    def approve(self, *, by, comment=""):
        self.dept_approver, self.dept_approved_at = by, timezone.now()
        return self.State.DEPT_APPROVED if self.system.needs_it_head else self.State.APPROVED

    @transition(
        field=state,
        source=State.DEPT_APPROVED,
        target=State.APPROVED,
        permission=role_required(Role.IT_HEAD) & _not_applicant,
        custom={"label": _("Approve (IT head)"), "style": "success"},
    )
    def it_approve(self, *, by, comment=""):
        self.it_approver, self.it_approved_at = by, timezone.now()

    @transition(
        field=state,
        source=State.APPROVED,
        target=State.COMPLETED,
        permission=role_required(*PROVISIONERS) & _not_applicant & _not_approver,
        custom={"label": _("Provision"), "style": "primary", "needs_comment": True},
    )
    def provision(self, *, by, comment="", account_name=""):
        self.provisioner, self.completed_at = by, timezone.now()
        self.account_name = account_name or self.account_name

    @transition(
        field=state,
        source=[State.SUBMITTED, State.DEPT_APPROVED, State.APPROVED],
        target=State.REJECTED,
        permission=CurrentHandler(
            lambda request, user: request.may_decide(user),
            _("Only the person who handles the current step may reject it."),
        )
        & _not_applicant,
        custom={"label": _("Reject"), "style": "outline-danger", "needs_comment": True},
    )
    def reject(self, *, by, comment=""):
        self.rejection_reason = comment
        self.completed_at = timezone.now()

    def may_decide(self, user):
        """Who handles the current step: the department head (or their deputy), then the IT head, then IT or the DBA."""
        if self.state == self.State.SUBMITTED:
            return DEPT_HEAD_HERE(self, user)
        if self.state == self.State.DEPT_APPROVED:
            return has_role(user, Role.IT_HEAD)
        return has_role(user, *PROVISIONERS)


class GrantQuerySet(ScopedQuerySet):
    read_all_roles = GRANT_READERS
    department_path = "user__department"
    own_paths = ("user",)

    def held(self):
        """Access the user holds now: active, or due for revocation but not yet revoked."""
        return self.exclude(state=Grant.State.REVOKED)


class Grant(ConcurrentTransitionMixin, models.Model):
    """Access a user holds in one information system; time-bound when it has an end date."""

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        REVOCATION_DUE = "revocation_due", _("Revocation due")
        REVOKED = "revoked", _("Revoked")

    class RevocationReason(models.TextChoices):
        EXPIRED = "expired", _("Time-bound access expired")
        REQUEST = "request", _("Revocation request")
        DEPARTURE = "departure", _("Departure or transfer")
        RECERTIFICATION = "recertification", _("Not confirmed in recertification")

    user = person(_("user"), related_name="grants")
    system = models.ForeignKey(
        InformationSystem, on_delete=models.PROTECT, related_name="grants", verbose_name=_("information system")
    )
    modules = models.ManyToManyField(SystemModule, blank=True, related_name="+", verbose_name=_("modules and roles"))
    account_name = models.CharField(_("account name in the system"), max_length=60)
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    ends_on = models.DateField(_("access ends on"), null=True, blank=True)
    state = StateField(_("status"), default=State.ACTIVE, choices=State.choices, protected=True)
    revocation_reason = models.CharField(_("why revoke"), max_length=20, choices=RevocationReason.choices, blank=True)
    revocation_due_since = models.DateTimeField(_("revocation due since"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = person(_("revoked by"), optional=True)
    history = HistoricalRecords()

    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["system__tier", "system__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "system"],
                condition=~models.Q(state="revoked"),
                name="accounts_one_held_grant_per_system",
                violation_error_message=_("This user already holds access to this system."),
            )
        ]
        indexes = [models.Index(fields=["state", "ends_on"]), models.Index(fields=["user", "state"])]

    def __str__(self):
        return f"{self.system.name} · {self.user} ({self.account_name})"

    def get_absolute_url(self):
        return self.user.get_absolute_url()

    @property
    def is_revocation_due(self):
        return self.state == self.State.REVOCATION_DUE

    @transition(field=state, source=State.ACTIVE, target=State.REVOCATION_DUE)
    def mark_revocation_due(self, *, by=None, comment="", reason):
        self.revocation_reason, self.revocation_due_since = reason, timezone.now()

    @transition(
        field=state,
        source=[State.ACTIVE, State.REVOCATION_DUE],
        target=State.REVOKED,
        permission=role_required(*IT_ROLES),
        custom={"label": _("Revoke"), "style": "danger"},
    )
    def revoke(self, *, by, comment="", reason=""):
        self.revocation_reason = reason or self.revocation_reason or self.RevocationReason.REQUEST
        self.revoked_at, self.revoked_by = timezone.now(), by
