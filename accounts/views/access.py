"""Permission requests (list, filing, steps, printed form, history) and the grants they give."""

from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from django.views.generic.detail import SingleObjectMixin

from portal.forms import CommentForm
from portal.pdf import pdf_response, render_pdf
from portal.permissions import RoleRequiredMixin, VisibleQuerysetMixin
from portal.roles import IT_ROLES
from portal.views.generic import (
    ObjectDetailView,
    ObjectHistoryView,
    ObjectListView,
    TransitionView,
)
from portal.workflow import acted_for, refusal

from .. import services
from ..filters import GrantFilter, PermissionRequestFilter
from ..forms import PermissionRequestForm, ProvisionForm, ReasonForm
from ..models import Grant, PermissionRequest
from ..permissions import GRANT_PAGE_ROLES, REQUEST_PAGE_ROLES
from ..tables import GrantTable, PermissionRequestTable
from .common import FilingView, ObjectFormView


class PermissionRequestPage:
    model = PermissionRequest
    allowed_roles = REQUEST_PAGE_ROLES


class PermissionRequestListView(PermissionRequestPage, ObjectListView):
    queryset = PermissionRequest.objects.select_related("subject", "department", "system")
    filterset_class = PermissionRequestFilter
    table_class = PermissionRequestTable
    create_url = reverse_lazy("accounts:request_create")


class PermissionRequestCreateView(FilingView):
    allowed_roles = REQUEST_PAGE_ROLES
    form_class = PermissionRequestForm
    template_name = "accounts/request_form.html"

    def file(self, *, modules, **data):
        return services.permission_request_submit(by=self.request.user, modules=list(modules), **data)


class PermissionRequestDetailView(PermissionRequestPage, ObjectDetailView):
    queryset = PermissionRequest.objects.select_related("subject", "applicant", "department", "system", "grant")
    template_name = "accounts/request_detail.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "dept_approved_for": acted_for(self.object, "approve")}


class PermissionRequestTransitionView(PermissionRequestPage, TransitionView):
    forms = {"provision": ProvisionForm, "reject": ReasonForm}

    def run(self, obj, action, **arguments):
        return services.permission_request_act(request=obj, action=action, by=self.request.user, **arguments)


class PermissionRequestPdfView(PermissionRequestPage, RoleRequiredMixin, VisibleQuerysetMixin, SingleObjectMixin, View):
    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        pdf = render_pdf(
            "accounts/pdf/request_form.html",
            {
                "object": obj,
                "modules": obj.modules.all(),
                "dept_approved_for": acted_for(obj, "approve"),
                "printed_at": timezone.now(),
            },
        )
        return pdf_response(pdf, f"{obj.number}.pdf")


class PermissionRequestHistoryView(PermissionRequestPage, ObjectHistoryView):
    pass


class GrantListView(ObjectListView):
    model = Grant
    queryset = Grant.objects.select_related("user__department", "system")
    filterset_class = GrantFilter
    table_class = GrantTable
    allowed_roles = GRANT_PAGE_ROLES


class GrantRevokeView(ObjectFormView):
    """IT revokes one grant (a revocation task, a departure line or on its own), then returns where it came from."""

    model = Grant
    allowed_roles = IT_ROLES
    form_class = CommentForm
    title = _("Revoke")

    def refusal(self, grant):
        return refusal(grant, "revoke", self.request.user)

    def perform(self, form):
        return services.grant_revoke(grant=self.object, by=self.request.user, comment=form.cleaned_data["comment"])

    @property
    def success_message(self):
        return _("Access to %(system)s revoked.") % {"system": self.object.system.name}

    def get_success_url(self):
        next_url = self.request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(next_url, allowed_hosts={self.request.get_host()}):
            return next_url
        return super().get_success_url()
