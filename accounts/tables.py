import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import (
    AccessScheme,
    Agreement,
    Delegation,
    Departure,
    Grant,
    InformationSystem,
    NetworkRequest,
    PermissionRequest,
    PrivilegedAccount,
    RoleChange,
    SensitiveQueryRequest,
    TrainingRecord,
)


class PermissionRequestTable(tables.Table):
    number = tables.Column(linkify=True)
    subject = tables.Column(verbose_name=_("For user"), accessor="subject__full_name")
    system = tables.Column(accessor="system__name")
    submitted_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta:
        model = PermissionRequest
        fields = ["number", "kind", "subject", "department", "system", "state", "submitted_at"]
        attrs = {"class": "table table-sm table-hover mb-0", "data-testid": "request-table"}


class GrantTable(tables.Table):
    user = tables.Column(
        linkify=lambda record: record.user.get_absolute_url(), accessor="user__full_name", verbose_name=_("user")
    )
    department = tables.Column(accessor="user__department__name", verbose_name=_("department"))
    system = tables.Column(accessor="system__name")
    granted_at = tables.DateTimeColumn(format="Y-m-d")
    revocation_due_since = tables.DateTimeColumn(format="Y-m-d H:i")
    actions = tables.TemplateColumn(
        template_name="accounts/_grant_revoke_button.html", verbose_name="", orderable=False
    )

    class Meta:
        model = Grant
        fields = [
            "user",
            "department",
            "system",
            "account_name",
            "granted_at",
            "ends_on",
            "state",
            "revocation_reason",
            "revocation_due_since",
        ]
        attrs = {"class": "table table-sm table-hover mb-0", "data-testid": "grant-table"}


class DepartureTable(tables.Table):
    number = tables.Column(linkify=True)
    user = tables.Column(accessor="user__full_name", verbose_name=_("staff member"))
    opened_at = tables.DateTimeColumn(format="Y-m-d")
    completed_at = tables.DateTimeColumn(format="Y-m-d")

    class Meta:
        model = Departure
        fields = [
            "number",
            "kind",
            "user",
            "from_department",
            "to_department",
            "last_day",
            "state",
            "opened_at",
            "completed_at",
        ]
        attrs = {"class": "table table-sm table-hover mb-0"}


class NetworkRequestTable(tables.Table):
    number = tables.Column(linkify=True)
    applicant = tables.Column(accessor="applicant__full_name", verbose_name=_("applicant"))
    submitted_at = tables.DateTimeColumn(format="Y-m-d")

    class Meta:
        model = NetworkRequest
        fields = ["number", "applicant", "department", "computer", "ip_address", "state", "submitted_at"]
        attrs = {"class": "table table-sm table-hover mb-0"}


class PrivilegedAccountTable(tables.Table):
    """The register's lines; ``openable`` are the accounts whose page the reader may open (the others are not links)."""

    account_name = tables.Column()
    custodians = tables.ManyToManyColumn(verbose_name=_("custodians"), transform=lambda user: user.full_name)
    # How many written records of major operations exist (制度 2, 3), for readers who may not open them.
    operations_recorded = tables.Column(verbose_name=_("major operations recorded"))

    def __init__(self, *args, openable=frozenset(), **kwargs):
        self.openable = openable
        super().__init__(*args, **kwargs)

    def render_account_name(self, record, value):
        if record.pk in self.openable:
            return format_html('<a href="{}">{}</a>', record.get_absolute_url(), value)
        return value

    def value_account_name(self, value):
        return value

    def render_operations_recorded(self, record, value):
        return value if record.needs_operation_log else "—"

    class Meta:
        model = PrivilegedAccount
        fields = [
            "tier",
            "kind",
            "system_or_device",
            "account_name",
            "custodians",
            "last_password_change",
            "rotation_due_on",
            "operations_recorded",
        ]
        attrs = {"class": "table table-sm table-hover mb-0", "data-testid": "privileged-table"}
        row_attrs = {"class": lambda record: "table-danger" if record.is_overdue else ""}


class SensitiveQueryRequestTable(tables.Table):
    number = tables.Column(linkify=True)
    applicant = tables.Column(accessor="applicant__full_name", verbose_name=_("applicant"))
    submitted_at = tables.DateTimeColumn(format="Y-m-d")

    class Meta:
        model = SensitiveQueryRequest
        fields = ["number", "applicant", "department", "scope", "period_start", "period_end", "state", "submitted_at"]
        attrs = {"class": "table table-sm table-hover mb-0"}


class InformationSystemTable(tables.Table):
    code = tables.Column(linkify=True)
    modules = tables.ManyToManyColumn(verbose_name=_("modules and roles"), transform=lambda module: module.name)
    owner = tables.Column(accessor="owner__full_name", verbose_name=_("system owner"))

    class Meta:
        model = InformationSystem
        fields = ["code", "name", "tier", "owner", "description", "modules"]
        attrs = {"class": "table table-sm table-hover mb-0"}
        orderable = False


class RoleChangeTable(tables.Table):
    changed_at = tables.DateTimeColumn(format="Y-m-d H:i")
    user = tables.Column(linkify=lambda record: record.user.get_absolute_url())

    class Meta:
        model = RoleChange
        fields = ["changed_at", "user", "change", "role", "reason", "changed_by"]
        attrs = {"class": "table table-sm table-hover mb-0", "data-testid": "role-change-table"}


class AgreementTable(tables.Table):
    signatory = tables.Column(accessor="signatory__full_name", verbose_name=_("signed by"))
    department = tables.Column(accessor="signatory__department", verbose_name=_("department"), orderable=False)

    class Meta:
        model = Agreement
        fields = ["signatory", "department", "kind", "signed_on", "note", "recorded_by"]
        attrs = {"class": "table table-sm table-hover mb-0", "data-testid": "agreements"}


class TrainingRecordTable(tables.Table):
    trainee = tables.Column(accessor="trainee__full_name", verbose_name=_("trainee"))

    class Meta:
        model = TrainingRecord
        fields = ["trainee", "title", "organiser", "held_on", "hours", "recorded_by"]
        attrs = {"class": "table table-sm table-hover mb-0", "data-testid": "training-records"}


class AccessSchemeTable(tables.Table):
    scheme = tables.Column(linkify=True, accessor="version", verbose_name=_("access scheme"))
    system = tables.Column(accessor="system__name", verbose_name=_("information system"))
    proposed_by = tables.Column(accessor="proposed_by__full_name", verbose_name=_("proposed by"))
    proposed_at = tables.DateTimeColumn(format="Y-m-d H:i")
    decided_by = tables.Column(accessor="decided_by__full_name", verbose_name=_("decided by (leader)"))
    decided_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta:
        model = AccessScheme
        fields = ["scheme", "system", "state", "proposed_by", "proposed_at", "decided_by", "decided_at"]
        attrs = {"class": "table table-sm table-hover mb-0", "data-testid": "scheme-table"}

    def render_scheme(self, record):
        return f"v{record.version}"


END_DELEGATION_BUTTON = """{% load i18n portal_tags %}{% may "accounts.end_delegation" record as may_end %}
{% if may_end %}<form method="post" action="{% url 'accounts:delegation_end' record.pk %}" class="d-inline">
{% csrf_token %}<button class="btn btn-sm btn-outline-danger" type="submit" data-testid="end-delegation">
{% translate "End now" %}</button></form>
{% elif record.ended_at %}<span class="small text-muted">{{ record.ended_by }} · {{ record.ended_at|date:"Y-m-d H:i" }}</span>
{% endif %}"""


class DelegationTable(tables.Table):
    principal = tables.Column(accessor="principal__full_name", verbose_name=_("department head"))
    deputy = tables.Column(
        linkify=lambda record: record.deputy.get_absolute_url(),
        accessor="deputy__full_name",
        verbose_name=pgettext_lazy("delegation", "deputy"),
    )
    status = tables.Column(empty_values=(), orderable=False, verbose_name=_("status"))
    # Inline, not template_name: a template file is rendered with the request, running every context
    # processor once per row.
    actions = tables.TemplateColumn(template_code=END_DELEGATION_BUTTON, verbose_name="", orderable=False)

    class Meta:
        model = Delegation
        fields = ["department", "principal", "deputy", "starts_on", "ends_on", "reason", "status", "created_by"]
        attrs = {"class": "table table-sm table-hover mb-0", "data-testid": "delegations"}

    def render_status(self, record):
        return record.status.label
