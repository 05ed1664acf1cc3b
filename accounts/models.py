from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, transition
from simple_history.models import HistoricalRecords

from portal.roles import Role, has_role
from portal.workflow import Guard, StateField, role_required


class Department(models.Model):
    class Kind(models.TextChoices):
        CLINICAL = "clinical", _("Clinical department")
        ADMINISTRATIVE = "administrative", _("Administrative department")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CLINICAL)
    head = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_departments",
        verbose_name=_("department head"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self):
        return self.name


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """IT, HR, leaders and the auditor see everyone; a department head their department; others themselves."""
        if has_role(user, Role.IT_OFFICER, Role.IT_HEAD, Role.DBA, Role.HR, Role.LEADER, Role.AUDITOR):
            return self
        if has_role(user, Role.DEPT_HEAD) and user.department_id:
            return self.filter(models.Q(department_id=user.department_id) | models.Q(pk=user.pk))
        return self.filter(pk=user.pk)


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A member of hospital staff. Roles are Django groups named by the codes in ``portal.roles``."""

    employee_no = models.CharField(_("employee number"), max_length=20, unique=True, null=True, blank=True)
    full_name = models.CharField(_("full name"), max_length=50)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("department"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def get_absolute_url(self):
        return reverse("accounts:user_detail", args=[self.pk])


# ---------------------------------------------------------------------------
# Access governance: information systems, permission requests and grants, departures and transfers,
# external network access, privileged accounts, sensitive-statistics queries, recertification.
# ---------------------------------------------------------------------------

IT_STAFF = (Role.IT_OFFICER, Role.IT_HEAD)
READS_ALL = (Role.IT_OFFICER, Role.IT_HEAD, Role.LEADER, Role.AUDITOR)
# HR sees departures and transfers only (issue 13): its role alone opens no request, grant or account page.
REQUEST_PAGE_ROLES = tuple(role for role in Role if role != Role.HR)


def _in_own_department(instance, user):
    return bool(user.department_id) and instance.department_id == user.department_id


class Tier(models.IntegerChoices):
    TIER_1 = 1, _("Tier 1")
    TIER_2 = 2, _("Tier 2")
    TIER_3 = 3, _("Tier 3")


class InformationSystem(models.Model):
    """An information system staff get access to (HIS, EMR, LIS, PACS…), with its importance tier and owner."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    tier = models.PositiveSmallIntegerField(_("tier"), choices=Tier.choices, default=Tier.TIER_3)
    owner = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_systems",
        verbose_name=_("system owner"),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

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


class PermissionRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        if has_role(user, *READS_ALL):
            return self
        own = models.Q(applicant=user) | models.Q(subject=user)
        if has_role(user, Role.DEPT_HEAD) and user.department_id:
            return self.filter(own | models.Q(department_id=user.department_id))
        return self.filter(own)


class PermissionRequest(ConcurrentTransitionMixin, models.Model):
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

    number = models.CharField(_("number"), max_length=30, unique=True)
    kind = models.CharField(_("request type"), max_length=10, choices=Kind.choices, default=Kind.ADD)
    applicant = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("applicant"))
    subject = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="permission_requests", verbose_name=_("for user")
    )
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
    dept_approver = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("department head")
    )
    dept_approved_at = models.DateTimeField(_("department head signed at"), null=True, blank=True)
    it_approver = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("IT head")
    )
    it_approved_at = models.DateTimeField(_("IT head signed at"), null=True, blank=True)
    provisioner = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("handled by (IT)")
    )
    account_name = models.CharField(_("account name in the system"), max_length=60, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    history = HistoricalRecords()

    objects = PermissionRequestQuerySet.as_manager()

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

    def get_absolute_url(self):
        return reverse("accounts:request_detail", args=[self.pk])

    def clean(self):
        if self.ends_on and self.ends_on <= timezone.localdate() and self._state.adding:
            raise ValidationError({"ends_on": _("The end date must be in the future.")})

    _not_applicant = Guard(
        lambda request, user: user.pk not in (request.applicant_id, request.subject_id),
        _("No one approves their own request."),
    )
    _dept_head_here = role_required(Role.DEPT_HEAD) & Guard(
        _in_own_department, _("A department head acts only for their own department.")
    )
    _not_approver = Guard(
        lambda request, user: user.pk not in (request.dept_approver_id, request.it_approver_id),
        _("You approved this request, so someone else must provision it."),
    )

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=RETURN_VALUE(State.DEPT_APPROVED, State.APPROVED),
        permission=_dept_head_here & _not_applicant,
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
        permission=role_required(*IT_STAFF) & _not_applicant & _not_approver,
        custom={"label": _("Provision"), "style": "primary", "needs_comment": True},
    )
    def provision(self, *, by, comment="", account_name=""):
        from .services import grant_apply_request

        self.provisioner, self.completed_at = by, timezone.now()
        self.account_name = account_name or self.account_name
        grant_apply_request(request=self, by=by)

    @transition(
        field=state,
        source=[State.SUBMITTED, State.DEPT_APPROVED, State.APPROVED],
        target=State.REJECTED,
        permission=Guard(
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
        """Who handles the current step: the department head, then the IT head, then IT."""
        if self.state == self.State.SUBMITTED:
            return has_role(user, Role.DEPT_HEAD) and _in_own_department(self, user)
        if self.state == self.State.DEPT_APPROVED:
            return has_role(user, Role.IT_HEAD)
        return has_role(user, *IT_STAFF)


class GrantQuerySet(models.QuerySet):
    def visible_to(self, user):
        if has_role(user, *READS_ALL, Role.DBA):
            return self
        if has_role(user, Role.DEPT_HEAD) and user.department_id:
            return self.filter(models.Q(user=user) | models.Q(user__department_id=user.department_id))
        return self.filter(user=user)

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

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="grants", verbose_name=_("user"))
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
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("revoked by")
    )
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

    @transition(field=state, source=State.ACTIVE, target=State.REVOCATION_DUE)
    def mark_revocation_due(self, *, by=None, comment="", reason):
        self.revocation_reason, self.revocation_due_since = reason, timezone.now()

    @transition(
        field=state,
        source=[State.ACTIVE, State.REVOCATION_DUE],
        target=State.REVOKED,
        permission=role_required(*IT_STAFF),
        custom={"label": _("Revoke"), "style": "danger"},
    )
    def revoke(self, *, by, comment="", reason=""):
        self.revocation_reason = reason or self.revocation_reason or self.RevocationReason.REQUEST
        self.revoked_at, self.revoked_by = timezone.now(), by


class DepartureQuerySet(models.QuerySet):
    def visible_to(self, user):
        if has_role(user, *READS_ALL, Role.DBA, Role.HR):
            return self
        if has_role(user, Role.DEPT_HEAD) and user.department_id:
            return self.filter(user__department_id=user.department_id)
        return self.none()


class Departure(ConcurrentTransitionMixin, models.Model):
    """离岗 / 转岗: IT closes every access and custody line first; only then may HR complete it."""

    class Kind(models.TextChoices):
        DEPARTURE = "departure", _("Departure")
        TRANSFER = "transfer", _("Transfer")

    class State(models.TextChoices):
        OPEN = "open", _("Clearing access")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("number"), max_length=30, unique=True)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.DEPARTURE)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="departures", verbose_name=_("staff member"))
    from_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    to_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("new department")
    )
    last_day = models.DateField(_("last working day"))
    successor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("successor"),
        help_text=_("For IT staff: who takes over their duties (a DBA's successor runs the backup and restore test)."),
    )
    reason = models.TextField(_("note"), blank=True)
    network_admin_at_opening = models.BooleanField(
        _("network administrator when opened"), default=False, editable=False
    )
    network_handover_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("network user list received by"),
    )
    network_handover_at = models.DateTimeField(_("network user list handed over at"), null=True, blank=True)
    state = StateField(_("status"), default=State.OPEN, choices=State.choices, protected=True)
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by"))
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = DepartureQuerySet.as_manager()

    class Meta:
        verbose_name = _("departure or transfer")
        verbose_name_plural = _("departures and transfers")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(state="open"),
                name="accounts_one_open_departure_per_user",
                violation_error_message=_("This staff member already has an open departure or transfer."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="transfer") | models.Q(to_department__isnull=False),
                name="accounts_transfer_names_new_department",
                violation_error_message=_("A transfer needs the new department."),
            ),
        ]
        indexes = [models.Index(fields=["state", "opened_at"]), models.Index(fields=["completed_at"])]

    def __str__(self):
        return f"{self.number} {self.get_kind_display()} · {self.user}"

    def get_absolute_url(self):
        return reverse("accounts:departure_detail", args=[self.pk])

    @transition(
        field=state,
        source=State.OPEN,
        target=State.COMPLETED,
        permission=role_required(Role.HR),
        custom={"label": _("Complete departure or transfer"), "style": "success"},
    )
    def complete(self, *, by, comment=""):
        self.completed_at = timezone.now()

    @transition(
        field=state,
        source=State.OPEN,
        target=State.CANCELLED,
        permission=role_required(Role.HR),
        custom={"label": _("Cancel"), "style": "outline-secondary", "needs_comment": True},
    )
    def cancel(self, *, by, comment=""):
        self.completed_at = timezone.now()


class NetworkRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        if has_role(user, *READS_ALL):
            return self
        if has_role(user, Role.DEPT_HEAD) and user.department_id:
            return self.filter(models.Q(applicant=user) | models.Q(department_id=user.department_id))
        return self.filter(applicant=user)


class NetworkRequest(ConcurrentTransitionMixin, models.Model):
    """《开通外网申请表》: internet access for one computer, approved by a leader and set up by IT."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting leader approval")
        APPROVED = "approved", _("Awaiting IT set-up")
        ACTIVE = "active", _("Internet access open")
        REVOKED = "revoked", _("Revoked")
        REJECTED = "rejected", _("Rejected")

    number = models.CharField(_("number"), max_length=30, unique=True)
    applicant = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="network_requests", verbose_name=_("applicant")
    )
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department"))
    computer = models.ForeignKey(
        "inventory.Equipment", on_delete=models.PROTECT, related_name="network_requests", verbose_name=_("computer")
    )
    reason = models.TextField(_("reason"))
    state = StateField(_("status"), default=State.SUBMITTED, choices=State.choices, protected=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    approver = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("approved by (leader)")
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), protocol="IPv4", null=True, blank=True)
    gateway = models.GenericIPAddressField(_("gateway"), protocol="IPv4", null=True, blank=True)
    dns = models.CharField(_("DNS"), max_length=100, blank=True)
    opened_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("set up by (IT)")
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("revoked by")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    history = HistoricalRecords()

    objects = NetworkRequestQuerySet.as_manager()

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

    def get_absolute_url(self):
        return reverse("accounts:network_request_detail", args=[self.pk])

    @property
    def computer_display(self):
        return str(self.computer)

    _not_applicant = Guard(lambda obj, user: obj.applicant_id != user.pk, _("No one approves their own request."))

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.APPROVED,
        permission=role_required(Role.LEADER) & _not_applicant,
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
        & _not_applicant,
        custom={"label": _("Reject"), "style": "outline-danger", "needs_comment": True},
    )
    def reject(self, *, by, comment=""):
        self.rejection_reason = comment

    @transition(
        field=state,
        source=State.APPROVED,
        target=State.ACTIVE,
        permission=role_required(*IT_STAFF)
        & _not_applicant
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
        permission=role_required(*IT_STAFF),
        custom={"label": _("Revoke internet access"), "style": "danger", "needs_comment": True},
    )
    def revoke(self, *, by, comment=""):
        self.revoked_by, self.revoked_at = by, timezone.now()


class PrivilegedAccountQuerySet(models.QuerySet):
    def visible_to(self, user):
        if has_role(user, *IT_STAFF, Role.DBA, Role.AUDITOR, Role.LEADER):
            return self
        return self.filter(custodians=user)

    def rotation_overdue(self, today=None):
        return self.filter(is_active=True, rotation_due_on__lt=today or timezone.localdate())


class PrivilegedAccount(models.Model):
    """账号及密码管理: who holds a privileged account and when its password was last changed. Never the password."""

    class Kind(models.TextChoices):
        DATABASE = "database", _("Database")
        SERVER = "server", _("Server")
        NETWORK = "network", _("Network device")
        APPLICATION = "application", _("Application system")
        WORKSTATION = "workstation", _("Department computer")

    # Days between password changes, by tier: the policy asks for stricter care the higher the tier.
    ROTATION_DAYS = {Tier.TIER_1: 90, Tier.TIER_2: 180, Tier.TIER_3: 365}

    tier = models.PositiveSmallIntegerField(_("tier"), choices=Tier.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    system_or_device = models.CharField(_("system or device"), max_length=100)
    account_name = models.CharField(_("account name"), max_length=60)
    custodians = models.ManyToManyField(User, related_name="privileged_accounts", verbose_name=_("custodians"))
    last_password_change = models.DateField(_("last password change"))
    rotation_due_on = models.DateField(_("next password change due"), editable=False)
    overdue_flagged_for = models.DateField(_("overdue reminder sent for"), null=True, blank=True, editable=False)
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("Never write a password here."))
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    objects = PrivilegedAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("privileged account")
        verbose_name_plural = _("privileged accounts")
        ordering = ["tier", "system_or_device", "account_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["system_or_device", "account_name"],
                name="accounts_privileged_account_unique",
                violation_error_message=_("This account is already registered on this system or device."),
            ),
            models.CheckConstraint(
                condition=models.Q(tier__in=[1, 2, 3]),
                name="accounts_privileged_tier_1_to_3",
                violation_error_message=_("The account's tier must be 1, 2 or 3."),
            ),
        ]
        indexes = [models.Index(fields=["is_active", "rotation_due_on"])]

    def __str__(self):
        return f"{self.system_or_device} · {self.account_name}"

    def get_absolute_url(self):
        return reverse("accounts:privileged_account_detail", args=[self.pk])

    @property
    def rotation_days(self):
        return self.ROTATION_DAYS[self.tier]

    @property
    def needs_operation_log(self):
        return self.tier in (Tier.TIER_1, Tier.TIER_2)

    @property
    def is_overdue(self):
        return self.is_active and self.rotation_due_on < timezone.localdate()

    def save(self, *args, **kwargs):
        self.rotation_due_on = self.last_password_change + timedelta(days=self.ROTATION_DAYS[self.tier])
        super().save(*args, **kwargs)


class MajorOperation(models.Model):
    """A written record of a major operation under a tier-1 or tier-2 account: what, who, when, witness."""

    account = models.ForeignKey(
        PrivilegedAccount, on_delete=models.PROTECT, related_name="operations", verbose_name=_("privileged account")
    )
    description = models.TextField(_("operation"))
    performed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("performed by"))
    performed_at = models.DateTimeField(_("performed at"), default=timezone.now)
    witness = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("witness"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("major operation")
        verbose_name_plural = _("major operations")
        ordering = ["-performed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(witness=models.F("performed_by")),
                name="accounts_operation_witness_is_another_person",
                violation_error_message=_(
                    "The witness must be someone other than the person who performed the operation."
                ),
            )
        ]

    def __str__(self):
        return f"{self.account} · {self.performed_at:%Y-%m-%d %H:%M}"


class SensitiveQueryRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        if has_role(user, *READS_ALL):
            return self
        if has_role(user, Role.DEPT_HEAD) and user.department_id:
            return self.filter(models.Q(applicant=user) | models.Q(department_id=user.department_id))
        return self.filter(applicant=user)


class SensitiveQueryRequest(ConcurrentTransitionMixin, models.Model):
    """防统方: approval to query drug or consumable usage by doctor or department, filed with the discipline office."""

    class Scope(models.TextChoices):
        DRUG_BY_DOCTOR = "drug_doctor", _("Drug usage by doctor")
        DRUG_BY_DEPARTMENT = "drug_department", _("Drug usage by department")
        CONSUMABLE_BY_DOCTOR = "consumable_doctor", _("Consumable usage by doctor")
        CONSUMABLE_BY_DEPARTMENT = "consumable_department", _("Consumable usage by department")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting department head")
        APPROVED = "approved", _("Approved, awaiting filing")
        FILED = "filed", _("Approved and filed")
        REJECTED = "rejected", _("Rejected")

    number = models.CharField(_("number"), max_length=30, unique=True)
    applicant = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("applicant"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department"))
    purpose = models.TextField(_("purpose"))
    scope = models.CharField(_("scope"), max_length=30, choices=Scope.choices)
    scope_detail = models.CharField(_("doctors, departments or items"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    state = StateField(_("status"), default=State.SUBMITTED, choices=State.choices, protected=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    approver = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("approved by")
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    filed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("filed by")
    )
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = SensitiveQueryRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("sensitive query approval")
        verbose_name_plural = _("sensitive query approvals")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="accounts_sensitive_period_in_order",
                violation_error_message=_("The period must end on or after its first day."),
            )
        ]
        indexes = [models.Index(fields=["state", "department"])]

    def __str__(self):
        return f"{self.number} {self.get_scope_display()} · {self.department}"

    def get_absolute_url(self):
        return reverse("accounts:sensitive_request_detail", args=[self.pk])

    @property
    def is_approved(self):
        return self.state in (self.State.APPROVED, self.State.FILED)

    @staticmethod
    def may_be_filed_by(user):
        """Only roles whose work needs drug or consumable statistics may ask for them (``SENSITIVE_QUERY_ROLES``)."""
        return has_role(user, *settings.SENSITIVE_QUERY_ROLES)

    _not_applicant = Guard(lambda obj, user: obj.applicant_id != user.pk, _("No one approves their own request."))

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.APPROVED,
        permission=role_required(Role.DEPT_HEAD)
        & Guard(_in_own_department, _("A department head acts only for their own department."))
        & _not_applicant,
        custom={"label": _("Approve (department head)"), "style": "success"},
    )
    def approve(self, *, by, comment=""):
        self.approver, self.approved_at = by, timezone.now()

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.REJECTED,
        permission=role_required(Role.DEPT_HEAD)
        & Guard(_in_own_department, _("A department head acts only for their own department."))
        & _not_applicant,
        custom={"label": _("Reject"), "style": "outline-danger", "needs_comment": True},
    )
    def reject(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.APPROVED,
        target=State.FILED,
        permission=role_required(Role.AUDITOR),
        custom={"label": _("File (discipline office)"), "style": "primary"},
    )
    def file(self, *, by, comment=""):
        self.filed_by, self.filed_at = by, timezone.now()


class SensitiveQueryLog(models.Model):
    """查询日志: one drug/consumable statistics query actually run, recorded by IT and reviewed by the auditor."""

    approval = models.ForeignKey(
        SensitiveQueryRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="queries",
        verbose_name=_("approval"),
        help_text=_("Leave empty when no approval exists: the query is then flagged to the discipline office."),
    )
    computer_no = models.CharField(_("computer number"), max_length=40)
    operator_code = models.CharField(_("operator code"), max_length=40)
    run_at = models.DateTimeField(_("query time"))
    scope = models.CharField(_("what was queried"), max_length=200)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("reviewed by")
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sensitive query log entry")
        verbose_name_plural = _("sensitive query log")
        ordering = ["-run_at", "-pk"]
        indexes = [models.Index(fields=["run_at"]), models.Index(fields=["reviewed_at"])]

    def __str__(self):
        return f"{self.computer_no} · {self.operator_code} · {self.run_at:%Y-%m-%d %H:%M}"

    @property
    def is_approved(self):
        return self.approval_id is not None and self.approval.is_approved


class RecertificationCampaign(models.Model):
    """权限复核: each quarter every department head confirms or revokes each grant of their staff."""

    quarter = models.CharField(_("quarter"), max_length=7, unique=True, help_text=_("For example 2026Q4."))
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    due_on = models.DateField(_("answer by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recertification campaign")
        verbose_name_plural = _("recertification campaigns")
        ordering = ["-opened_at"]

    def __str__(self):
        return _("Access recertification %(quarter)s") % {"quarter": self.quarter}

    def get_absolute_url(self):
        return reverse("accounts:recertification_detail", args=[self.pk])


class RecertificationItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        if has_role(user, *READS_ALL):
            return self
        return self.filter(reviewer=user)


class RecertificationItem(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("Awaiting answer")
        CONFIRMED = "confirmed", _("Confirmed")
        REVOKED = "revoked", _("Revoked")

    campaign = models.ForeignKey(
        RecertificationCampaign, on_delete=models.CASCADE, related_name="items", verbose_name=_("campaign")
    )
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="recertifications", verbose_name=_("grant"))
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewer"))
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
