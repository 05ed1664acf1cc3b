"""Sensitive-statistics queries (防统方): approvals to query drug or consumable usage, and the query log."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage, person
from portal.roles import Role
from portal.scoping import ScopedQuerySet
from portal.workflow import StateField, role_required

from ..permissions import DEPT_HEAD_HERE, NOT_APPLICANT, QUERY_LOG_READERS
from .common import RequestQuerySet, StateBadge
from .people import Department


class SensitiveQueryRequest(DetailPage, StateBadge, ConcurrentTransitionMixin, models.Model):
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

    APPROVED_STATES = (State.APPROVED, State.FILED)
    """Approved, whether or not yet filed: a query may be run under it."""
    STATE_STYLES = {State.APPROVED: "success", State.FILED: "success", State.REJECTED: "danger"}

    number = models.CharField(_("number"), max_length=30, unique=True)
    applicant = person(_("applicant"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department"))
    purpose = models.TextField(_("purpose"))
    scope = models.CharField(_("scope"), max_length=30, choices=Scope.choices)
    scope_detail = models.CharField(_("doctors, departments or items"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    state = StateField(_("status"), default=State.SUBMITTED, choices=State.choices, protected=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    approver = person(_("approved by"), optional=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    filed_by = person(_("filed by"), optional=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = RequestQuerySet.as_manager()

    detail_url = "accounts:sensitive_request_detail"

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

    @property
    def is_approved(self):
        return self.state in self.APPROVED_STATES

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.APPROVED,
        permission=DEPT_HEAD_HERE & NOT_APPLICANT,
        custom={"label": _("Approve (department head)"), "style": "success"},
    )
    def approve(self, *, by, comment=""):
        self.approver, self.approved_at = by, timezone.now()

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.REJECTED,
        permission=DEPT_HEAD_HERE & NOT_APPLICANT,
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


# 防统方 三, 五: a query counts as approved only under an approval that is filed with the discipline office, run
# after the filing, inside the approved period and on the approved scope. The same rule as ``problems``, in SQL.
COMPLIANT = Q(
    approval__state=SensitiveQueryRequest.State.FILED,
    run_at__gte=F("approval__filed_at"),
    run_at__date__gte=F("approval__period_start"),
    run_at__date__lte=F("approval__period_end"),
    query_kind=F("approval__scope"),
)


class SensitiveQueryLogQuerySet(ScopedQuerySet):
    read_all_roles = QUERY_LOG_READERS

    def not_compliant(self):
        return self.exclude(COMPLIANT)


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
    query_kind = models.CharField(
        _("kind of query"), max_length=30, choices=SensitiveQueryRequest.Scope.choices, blank=True
    )
    scope = models.CharField(_("what was queried"), max_length=200)
    recorded_by = person(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    reviewed_by = person(_("reviewed by"), optional=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = SensitiveQueryLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("sensitive query log entry")
        verbose_name_plural = _("sensitive query log")
        ordering = ["-run_at", "-pk"]
        indexes = [models.Index(fields=["run_at"]), models.Index(fields=["reviewed_at"])]

    def __str__(self):
        return f"{self.computer_no} · {self.operator_code} · {self.run_at:%Y-%m-%d %H:%M}"

    @property
    def problems(self) -> list[str]:
        """Why the query does not count as approved (防统方 三, 五); empty when it does."""
        approval = self.approval
        if approval is None:
            return [_("No approval")]
        problems = []
        if approval.state != SensitiveQueryRequest.State.FILED:
            problems.append(_("Approval not filed with the discipline office"))
        elif self.run_at < approval.filed_at:
            problems.append(_("Run before the approval was filed"))
        if not approval.period_start <= timezone.localtime(self.run_at).date() <= approval.period_end:
            problems.append(_("Run outside the approved period"))
        if self.query_kind != approval.scope:
            problems.append(_("Not the approved scope"))
        return problems
