"""Sensitive-statistics queries (防统方): approvals, their steps, and the log of queries actually run."""

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.exceptions import ActionRefused
from portal.notifications import notify, notify_roles
from portal.roles import Role
from portal.validation import validated
from portal.workflow import perform

from ..models import Agreement, SensitiveQueryLog, SensitiveQueryRequest
from ..permissions import may_file_sensitive_query, may_record_queries, review_refusal
from .agreements import require_agreement
from .common import file_request, heads_of


def sensitive_request_submit(*, by, purpose, scope, scope_detail, period_start, period_end):
    if not may_file_sensitive_query(by):
        roles = "、".join(str(Role(role).label) for role in settings.SENSITIVE_QUERY_ROLES)
        raise ActionRefused(_("Only these roles may do this: %(roles)s.") % {"roles": roles})
    require_agreement(by, Agreement.Kind.STATISTICS_PLEDGE)
    request = file_request(
        SensitiveQueryRequest,
        "TF",
        by=by,
        purpose=purpose,
        scope=scope,
        scope_detail=scope_detail,
        period_start=period_start,
        period_end=period_end,
    )
    notify(
        heads_of(request.department),
        title=gettext_lazy("Sensitive query %(number)s awaits approval"),
        url=request.get_absolute_url(),
        params={"number": request.number},
    )
    return request


def sensitive_request_act(*, request, action, by, comment=""):
    """The one entry point for an approval's steps; its notices are in ``effects``."""
    return perform(request, action, by=by, comment=comment)


def sensitive_query_record(*, by, approval, computer_no, operator_code, run_at: datetime, query_kind, scope):
    """IT logs a query actually run; one that does not count as approved is flagged to the discipline office at once."""
    if not may_record_queries(by):
        raise ActionRefused(_("Only IT records the query log."))
    if approval is not None and not approval.is_approved:
        raise ActionRefused(_("Approval %(number)s has not been approved.") % {"number": approval.number})
    if run_at > timezone.now() + timedelta(minutes=5):
        raise ActionRefused(_("The query time cannot be in the future."))
    entry = validated(
        SensitiveQueryLog(
            approval=approval,
            computer_no=computer_no,
            operator_code=operator_code,
            run_at=run_at,
            query_kind=query_kind,
            scope=scope,
            recorded_by=by,
        )
    )
    entry.save()
    if entry.problems:
        notify_roles(
            [Role.AUDITOR],
            title=gettext_lazy("Sensitive query not covered by a filed approval on computer %(computer)s"),
            body=gettext_lazy("Operator %(operator)s, %(scope)s: %(problems)s"),
            url=reverse("accounts:sensitive_query_log"),
            params={
                "computer": computer_no,
                "operator": operator_code,
                "scope": scope,
                "problems": "；".join(str(problem) for problem in entry.problems),
            },
        )
    return entry


def sensitive_query_mark_reviewed(*, entry, by, note=""):
    reason = review_refusal(by, entry)
    if reason:
        raise ActionRefused(reason)
    entry.reviewed_by, entry.reviewed_at, entry.review_note = by, timezone.now(), note
    entry.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    return entry
