"""Sensitive-statistics queries (防统方): approvals, their steps, and the query log with its review."""

from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from portal.permissions import RoleRequiredMixin, VisibleQuerysetMixin
from portal.views.generic import ObjectDetailView, ObjectListView, ServiceFormView, TransitionView

from .. import services
from ..filters import SensitiveQueryRequestFilter
from ..forms import ReasonForm, ReviewForm, SensitiveQueryLogForm, SensitiveQueryRequestForm
from ..models import SensitiveQueryLog, SensitiveQueryRequest
from ..permissions import (
    QUERY_LOG_KEEPERS,
    QUERY_LOG_READERS,
    QUERY_LOG_REVIEWERS,
    REQUEST_PAGE_ROLES,
    may_file_sensitive_query,
    review_refusal,
)
from ..tables import SensitiveQueryRequestTable
from .common import FilingView, ObjectFormView

LOG_VIEWS = ("unapproved", "unreviewed")
"""The query log's two narrowed views (``?show=``)."""


class SensitiveQueryRequestPage:
    model = SensitiveQueryRequest
    allowed_roles = REQUEST_PAGE_ROLES


class SensitiveQueryRequestListView(SensitiveQueryRequestPage, ObjectListView):
    queryset = SensitiveQueryRequest.objects.select_related("applicant", "department")
    filterset_class = SensitiveQueryRequestFilter
    table_class = SensitiveQueryRequestTable
    title = _("Sensitive statistics queries")
    template_name = "accounts/sensitive_request_list.html"
    create_url = reverse_lazy("accounts:sensitive_request_create")


class SensitiveQueryRequestCreateView(FilingView):
    form_class = SensitiveQueryRequestForm

    @classmethod
    def permits(cls, user):
        return may_file_sensitive_query(user)

    def file(self, **data):
        return services.sensitive_request_submit(by=self.request.user, **data)


class SensitiveQueryRequestDetailView(SensitiveQueryRequestPage, ObjectDetailView):
    queryset = SensitiveQueryRequest.objects.select_related("applicant", "department", "approver", "filed_by")
    template_name = "accounts/sensitive_request_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["queries"] = self.object.queries.select_related("recorded_by", "reviewed_by")
        return context


class SensitiveQueryRequestTransitionView(SensitiveQueryRequestPage, TransitionView):
    forms = {"reject": ReasonForm}

    def run(self, obj, action, **arguments):
        return services.sensitive_request_act(request=obj, action=action, by=self.request.user, **arguments)


class SensitiveQueryLogView(RoleRequiredMixin, VisibleQuerysetMixin, ListView):
    """The discipline office's page: every query run; one without approval is red until reviewed and after."""

    model = SensitiveQueryLog
    queryset = SensitiveQueryLog.objects.select_related("approval", "recorded_by", "reviewed_by")
    allowed_roles = QUERY_LOG_READERS
    template_name = "accounts/sensitive_query_log.html"
    paginate_by = 100

    def get_queryset(self):
        queryset = super().get_queryset()
        show = self.request.GET.get("show")
        if show == "unapproved":
            queryset = queryset.not_compliant()
        elif show == "unreviewed":
            queryset = queryset.filter(reviewed_at__isnull=True)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["show"] = self.request.GET.get("show", "")
        return context


class SensitiveQueryLogCreateView(ServiceFormView):
    form_class = SensitiveQueryLogForm
    allowed_roles = QUERY_LOG_KEEPERS
    success_message = _("Query recorded.")
    success_url = reverse_lazy("accounts:sensitive_query_log")

    def perform(self, form):
        return services.sensitive_query_record(by=self.request.user, **form.cleaned_data)


class SensitiveQueryReviewView(ObjectFormView):
    model = SensitiveQueryLog
    allowed_roles = QUERY_LOG_REVIEWERS
    form_class = ReviewForm
    title = _("Mark reviewed")
    success_message = _("Marked as reviewed.")

    def refusal(self, entry):
        return review_refusal(self.request.user, entry)

    def perform(self, form):
        return services.sensitive_query_mark_reviewed(
            entry=self.object, by=self.request.user, note=form.cleaned_data["note"]
        )

    def get_success_url(self):
        show = self.request.POST.get("show")
        return reverse("accounts:sensitive_query_log") + (f"?show={show}" if show in LOG_VIEWS else "")
