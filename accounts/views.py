from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.messages.views import SuccessMessageMixin
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView, View
from django.views.generic.detail import SingleObjectMixin

from portal.exceptions import ActionRefused
from portal.forms import CommentForm
from portal.pdf import render_pdf
from portal.permissions import RoleRequiredMixin, VisibleQuerysetMixin
from portal.roles import Role, has_role
from portal.views.generic import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    TransitionView,
)

from . import services
from .filters import (
    DepartureFilter,
    GrantFilter,
    NetworkRequestFilter,
    PermissionRequestFilter,
    PrivilegedAccountFilter,
    SensitiveQueryRequestFilter,
)
from .forms import (
    DepartureForm,
    LoginForm,
    MajorOperationForm,
    NetworkRequestForm,
    OpenInternetForm,
    PermissionRequestForm,
    PrivilegedAccountForm,
    ProvisionForm,
    ReasonForm,
    ReviewForm,
    RotationForm,
    SensitiveQueryLogForm,
    SensitiveQueryRequestForm,
)
from .lockout import current_lock
from .models import (
    REQUEST_PAGE_ROLES,
    Departure,
    Grant,
    InformationSystem,
    NetworkRequest,
    PermissionRequest,
    PrivilegedAccount,
    RecertificationCampaign,
    RecertificationItem,
    SensitiveQueryLog,
    SensitiveQueryRequest,
    User,
)
from .selectors import APPROVED_QUERY_STATES, user_holdings
from .tables import (
    DepartureTable,
    GrantTable,
    InformationSystemTable,
    NetworkRequestTable,
    PermissionRequestTable,
    PrivilegedAccountTable,
    SensitiveQueryRequestTable,
)


class PortalLoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class PortalLogoutView(auth_views.LogoutView):
    pass


class PortalPasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("portal:dashboard")
    success_message = _("Your password has been changed.")


def locked_out(request, response=None, credentials=None):
    """Lockout page (django-axes): says the account is locked and when it unlocks."""
    lock = current_lock(request, credentials or request.axes_credentials)
    context = {"unlock_at": lock.until, "failure_limit": lock.limit}
    return render(request, "registration/locked.html", context, status=429)


class UserDetailView(ObjectDetailView):
    """A user's page: who they are, and (as apps land) what they hold."""

    model = User
    template_name = "accounts/user_detail.html"
    context_object_name = "person"  # ``user`` is the viewer: the navbar and menus read it

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        viewer = self.request.user
        if self.object == viewer or has_role(viewer, *REQUEST_PAGE_ROLES):  # HR reads no one's access
            context.update(user_holdings(self.object))
        return context


# --- Access governance ---------------------------------------------------------------------------

IT_STAFF = (Role.IT_OFFICER, Role.IT_HEAD)


class SystemListView(ObjectListView):
    model = InformationSystem
    queryset = InformationSystem.objects.filter(is_active=True).select_related("owner").prefetch_related("modules")
    table_class = InformationSystemTable
    title = _("Information systems")


class PermissionRequestListView(ObjectListView):
    model = PermissionRequest
    allowed_roles = REQUEST_PAGE_ROLES
    queryset = PermissionRequest.objects.select_related("subject", "department", "system")
    filterset_class = PermissionRequestFilter
    table_class = PermissionRequestTable
    create_url = reverse_lazy("accounts:request_create")


class PermissionRequestCreateView(RoleRequiredMixin, FormView):
    allowed_roles = REQUEST_PAGE_ROLES
    form_class = PermissionRequestForm
    template_name = "accounts/request_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            request = services.permission_request_submit(
                by=self.request.user,
                subject=data["subject"],
                kind=data["kind"],
                system=data["system"],
                modules=list(data["modules"]),
                reason=data["reason"],
                ends_on=data["ends_on"],
            )
        except ActionRefused as refused:
            form.add_error(None, refused.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Request %(number)s submitted.") % {"number": request.number})
        return redirect(request)


class PermissionRequestDetailView(ObjectDetailView):
    model = PermissionRequest
    allowed_roles = REQUEST_PAGE_ROLES
    queryset = PermissionRequest.objects.select_related("subject", "applicant", "department", "system", "grant")
    template_name = "accounts/request_detail.html"


class PermissionRequestTransitionView(TransitionView):
    model = PermissionRequest
    allowed_roles = REQUEST_PAGE_ROLES
    forms = {"provision": ProvisionForm, "reject": ReasonForm}

    def run(self, obj, action, **arguments):
        return services.permission_request_act(request=obj, action=action, by=self.request.user, **arguments)


class PermissionRequestPdfView(RoleRequiredMixin, VisibleQuerysetMixin, SingleObjectMixin, View):
    model = PermissionRequest
    allowed_roles = REQUEST_PAGE_ROLES

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        pdf = render_pdf(
            "accounts/pdf/request_form.html",
            {"object": obj, "modules": obj.modules.all(), "printed_at": timezone.now()},
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{obj.number}.pdf"'
        return response


class PermissionRequestHistoryView(ObjectHistoryView):
    model = PermissionRequest
    allowed_roles = REQUEST_PAGE_ROLES


class GrantListView(ObjectListView):
    model = Grant
    queryset = Grant.objects.select_related("user__department", "system")
    filterset_class = GrantFilter
    table_class = GrantTable
    allowed_roles = (*IT_STAFF, Role.DBA, Role.AUDITOR, Role.LEADER, Role.DEPT_HEAD)


class GrantRevokeView(RoleRequiredMixin, VisibleQuerysetMixin, SingleObjectMixin, View):
    """IT revokes one grant (a revocation task, a departure line or on its own)."""

    model = Grant
    allowed_roles = IT_STAFF

    def post(self, request, *args, **kwargs):
        grant = self.get_object()
        form = CommentForm(request.POST)
        try:
            if not form.is_valid():
                raise ActionRefused(form.errors["comment"][0])
            services.grant_revoke(grant=grant, by=request.user, comment=form.cleaned_data["comment"])
        except ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Access to %(system)s revoked.") % {"system": grant.system.name})
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = grant.get_absolute_url()
        return redirect(next_url)


class DepartureListView(ObjectListView):
    model = Departure
    queryset = Departure.objects.select_related("user", "from_department", "to_department")
    filterset_class = DepartureFilter
    table_class = DepartureTable
    allowed_roles = (Role.HR, *IT_STAFF, Role.DBA, Role.LEADER, Role.AUDITOR, Role.DEPT_HEAD)
    create_url = reverse_lazy("accounts:departure_create")


class DepartureCreateView(RoleRequiredMixin, FormView):
    form_class = DepartureForm
    template_name = "generic/object_form.html"
    allowed_roles = (Role.HR,)

    def form_valid(self, form):
        try:
            departure = services.departure_open(by=self.request.user, **form.cleaned_data)
        except ActionRefused as refused:
            form.add_error(None, refused.message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("%(number)s opened; IT has been asked to revoke access.") % {"number": departure.number}
        )
        return redirect(departure)


class DepartureDetailView(ObjectDetailView):
    model = Departure
    queryset = Departure.objects.select_related("user", "from_department", "to_department", "successor", "opened_by")
    template_name = "accounts/departure_detail.html"
    allowed_roles = DepartureListView.allowed_roles

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object.state == Departure.State.OPEN:
            context["open_lines"] = services.departure_open_lines(self.object)
        context["closed_grants"] = Grant.objects.filter(
            user=self.object.user, state=Grant.State.REVOKED, revoked_at__gte=self.object.opened_at
        ).select_related("system", "revoked_by")
        context["is_it"] = has_role(self.request.user, *IT_STAFF)
        context["is_it_head"] = has_role(self.request.user, Role.IT_HEAD)
        return context


class DepartureTransitionView(TransitionView):
    model = Departure
    allowed_roles = (Role.HR,)
    forms = {"cancel": ReasonForm}

    def run(self, obj, action, **arguments):
        if action == "complete":
            return services.departure_complete(departure=obj, by=self.request.user, **arguments)
        return super().run(obj, action, **arguments)


class DepartureNetworkHandoverView(RoleRequiredMixin, VisibleQuerysetMixin, SingleObjectMixin, View):
    model = Departure
    allowed_roles = (Role.IT_HEAD,)

    def post(self, request, *args, **kwargs):
        departure = self.get_object()
        try:
            services.departure_record_network_handover(departure=departure, by=request.user)
        except ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Network handover recorded."))
        return redirect(departure)


class NetworkRequestListView(ObjectListView):
    model = NetworkRequest
    allowed_roles = REQUEST_PAGE_ROLES
    queryset = NetworkRequest.objects.select_related("applicant", "department", "computer")
    filterset_class = NetworkRequestFilter
    table_class = NetworkRequestTable
    title = _("External network requests")
    create_url = reverse_lazy("accounts:network_request_create")


class NetworkRequestCreateView(RoleRequiredMixin, FormView):
    allowed_roles = REQUEST_PAGE_ROLES
    form_class = NetworkRequestForm
    template_name = "generic/object_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            request = services.network_request_submit(by=self.request.user, **form.cleaned_data)
        except ActionRefused as refused:
            form.add_error(None, refused.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Request %(number)s submitted.") % {"number": request.number})
        return redirect(request)


class NetworkRequestDetailView(ObjectDetailView):
    model = NetworkRequest
    allowed_roles = REQUEST_PAGE_ROLES
    queryset = NetworkRequest.objects.select_related("applicant", "department", "computer", "approver", "opened_by")
    template_name = "accounts/network_request_detail.html"


class NetworkRequestTransitionView(TransitionView):
    model = NetworkRequest
    allowed_roles = REQUEST_PAGE_ROLES
    forms = {"open_access": OpenInternetForm, "reject": ReasonForm, "revoke": ReasonForm}

    def run(self, obj, action, **arguments):
        return services.network_request_act(request=obj, action=action, by=self.request.user, **arguments)


PRIVILEGED_READERS = (*IT_STAFF, Role.DBA, Role.AUDITOR, Role.LEADER)


class PrivilegedAccountListView(ObjectListView):
    model = PrivilegedAccount
    queryset = PrivilegedAccount.objects.prefetch_related("custodians")
    filterset_class = PrivilegedAccountFilter
    table_class = PrivilegedAccountTable
    allowed_roles = PRIVILEGED_READERS
    template_name = "accounts/privileged_account_list.html"
    create_url = reverse_lazy("accounts:privileged_account_create")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rotation_days"] = PrivilegedAccount.ROTATION_DAYS
        return context


class PrivilegedAccountFormMixin:
    form_class = PrivilegedAccountForm
    model = PrivilegedAccount
    allowed_roles = (*IT_STAFF, Role.DBA)
    template_name = "generic/object_form.html"

    def save_form(self, form):
        account = form.save(commit=False)
        services.privileged_account_save(
            account=account, custodians=list(form.cleaned_data["custodians"]), by=self.request.user
        )
        self.object = account
        return redirect(account)


class PrivilegedAccountCreateView(PrivilegedAccountFormMixin, ObjectCreateView):
    pass


class PrivilegedAccountEditView(PrivilegedAccountFormMixin, ObjectEditView):
    pass


class PrivilegedAccountDetailView(ObjectDetailView):
    model = PrivilegedAccount
    allowed_roles = PRIVILEGED_READERS
    template_name = "accounts/privileged_account_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["operations"] = self.object.operations.select_related("performed_by", "witness", "recorded_by")[:100]
        may_write = has_role(self.request.user, *IT_STAFF, Role.DBA)
        context["rotation_form"] = RotationForm(initial={"changed_on": timezone.localdate()}) if may_write else None
        context["operation_form"] = MajorOperationForm() if may_write and self.object.needs_operation_log else None
        return context


class PrivilegedAccountRotationView(RoleRequiredMixin, VisibleQuerysetMixin, SingleObjectMixin, View):
    model = PrivilegedAccount
    allowed_roles = (*IT_STAFF, Role.DBA)

    def post(self, request, *args, **kwargs):
        account = self.get_object()
        form = RotationForm(request.POST)
        try:
            if not form.is_valid():
                raise ActionRefused(" ".join(error for errors in form.errors.values() for error in errors))
            services.privileged_account_record_rotation(
                account=account, changed_on=form.cleaned_data["changed_on"], by=request.user
            )
        except ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Password change recorded."))
        return redirect(account)


class MajorOperationCreateView(RoleRequiredMixin, VisibleQuerysetMixin, SingleObjectMixin, View):
    model = PrivilegedAccount
    allowed_roles = (*IT_STAFF, Role.DBA)

    def post(self, request, *args, **kwargs):
        account = self.object = self.get_object()
        form = MajorOperationForm(request.POST)
        if form.is_valid():
            try:
                services.major_operation_record(account=account, by=request.user, **form.cleaned_data)
            except ActionRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("Major operation recorded."))
                return redirect(account)
        return render(request, "generic/object_form.html", {"form": form, "object": account})


class PrivilegedAccountHistoryView(ObjectHistoryView):
    model = PrivilegedAccount
    allowed_roles = PRIVILEGED_READERS


class SensitiveQueryRequestListView(ObjectListView):
    model = SensitiveQueryRequest
    allowed_roles = REQUEST_PAGE_ROLES
    queryset = SensitiveQueryRequest.objects.select_related("applicant", "department")
    filterset_class = SensitiveQueryRequestFilter
    table_class = SensitiveQueryRequestTable
    title = _("Sensitive statistics queries")
    template_name = "accounts/sensitive_request_list.html"
    create_url = reverse_lazy("accounts:sensitive_request_create")


class SensitiveQueryRequestCreateView(RoleRequiredMixin, FormView):
    form_class = SensitiveQueryRequestForm
    template_name = "generic/object_form.html"

    @classmethod
    def permits(cls, user):
        return SensitiveQueryRequest.may_be_filed_by(user)

    def form_valid(self, form):
        try:
            request = services.sensitive_request_submit(by=self.request.user, **form.cleaned_data)
        except ActionRefused as refused:
            form.add_error(None, refused.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Request %(number)s submitted.") % {"number": request.number})
        return redirect(request)


class SensitiveQueryRequestDetailView(ObjectDetailView):
    model = SensitiveQueryRequest
    allowed_roles = REQUEST_PAGE_ROLES
    queryset = SensitiveQueryRequest.objects.select_related("applicant", "department", "approver", "filed_by")
    template_name = "accounts/sensitive_request_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["queries"] = self.object.queries.select_related("recorded_by", "reviewed_by")
        return context


class SensitiveQueryRequestTransitionView(TransitionView):
    model = SensitiveQueryRequest
    allowed_roles = REQUEST_PAGE_ROLES
    forms = {"reject": ReasonForm}

    def run(self, obj, action, **arguments):
        return services.sensitive_request_act(request=obj, action=action, by=self.request.user, **arguments)


QUERY_LOG_READERS = (*IT_STAFF, Role.AUDITOR, Role.LEADER)


class SensitiveQueryLogView(RoleRequiredMixin, ListView):
    """The discipline office's page: every query run; one without approval is red until reviewed and after."""

    model = SensitiveQueryLog
    allowed_roles = QUERY_LOG_READERS
    template_name = "accounts/sensitive_query_log.html"
    paginate_by = 100

    def get_queryset(self):
        queryset = SensitiveQueryLog.objects.select_related("approval", "recorded_by", "reviewed_by")
        show = self.request.GET.get("show")
        if show == "unapproved":
            queryset = queryset.exclude(approval__state__in=APPROVED_QUERY_STATES)
        elif show == "unreviewed":
            queryset = queryset.filter(reviewed_at__isnull=True)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_auditor"] = has_role(self.request.user, Role.AUDITOR)
        context["show"] = self.request.GET.get("show", "")
        return context


class SensitiveQueryLogCreateView(RoleRequiredMixin, FormView):
    form_class = SensitiveQueryLogForm
    template_name = "generic/object_form.html"
    allowed_roles = IT_STAFF

    def form_valid(self, form):
        try:
            services.sensitive_query_record(by=self.request.user, **form.cleaned_data)
        except ActionRefused as refused:
            form.add_error(None, refused.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Query recorded."))
        return redirect("accounts:sensitive_query_log")


class SensitiveQueryReviewView(RoleRequiredMixin, SingleObjectMixin, View):
    model = SensitiveQueryLog
    allowed_roles = (Role.AUDITOR,)

    def post(self, request, *args, **kwargs):
        entry = self.get_object()
        form = ReviewForm(request.POST)
        try:
            if not form.is_valid():
                raise ActionRefused(_("The review note is too long."))
            services.sensitive_query_mark_reviewed(entry=entry, by=request.user, note=form.cleaned_data["note"])
        except ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Marked as reviewed."))
        return redirect(
            reverse("accounts:sensitive_query_log")
            + (f"?show={request.POST['show']}" if request.POST.get("show") in ("unapproved", "unreviewed") else "")
        )


RECERTIFICATION_ROLES = (Role.DEPT_HEAD, *IT_STAFF, Role.AUDITOR, Role.LEADER)


class RecertificationListView(RoleRequiredMixin, ListView):
    model = RecertificationCampaign
    allowed_roles = RECERTIFICATION_ROLES
    template_name = "accounts/recertification_list.html"

    def get_queryset(self):
        mine = RecertificationItem.objects.visible_to(self.request.user)
        return RecertificationCampaign.objects.annotate(
            total=Count("items", filter=Q(items__in=mine)),
            pending=Count("items", filter=Q(items__in=mine, items__decision=RecertificationItem.Decision.PENDING)),
            revoked=Count("items", filter=Q(items__in=mine, items__decision=RecertificationItem.Decision.REVOKED)),
        )


class RecertificationDetailView(RoleRequiredMixin, DetailView):
    model = RecertificationCampaign
    allowed_roles = RECERTIFICATION_ROLES
    template_name = "accounts/recertification_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = (
            RecertificationItem.objects.visible_to(self.request.user)
            .filter(campaign=self.object)
            .select_related("grant__user", "grant__system", "department", "reviewer")
            .prefetch_related("grant__modules")
        )
        state = self.request.GET.get("decision")
        if state in RecertificationItem.Decision.values:
            items = items.filter(decision=state)
        paginator = Paginator(items, 100)
        context["page_obj"] = paginator.get_page(self.request.GET.get("page"))
        context["decision"] = state or ""
        context["decisions"] = RecertificationItem.Decision.choices
        return context


class RecertificationDecideView(RoleRequiredMixin, View):
    allowed_roles = (Role.DEPT_HEAD, Role.IT_HEAD)

    def post(self, request, pk, decision):
        item = get_object_or_404(
            RecertificationItem.objects.visible_to(request.user).select_related("grant", "campaign"), pk=pk
        )
        try:
            services.recertification_decide(item=item, decision=decision, by=request.user)
        except ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request, _("%(grant)s: %(decision)s") % {"grant": item.grant, "decision": item.get_decision_display()}
            )
        return redirect(item.campaign)
