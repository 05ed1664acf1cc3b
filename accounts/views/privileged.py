"""The privileged-account register: list, form, page, password changes and major operations."""

from django.db.models import Count
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.views.generic import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
)

from .. import services
from ..filters import PrivilegedAccountFilter
from ..forms import MajorOperationForm, PrivilegedAccountForm, RotationForm
from ..models import PrivilegedAccount
from ..permissions import (
    PRIVILEGED_KEEPERS,
    PRIVILEGED_READERS,
    account_edit_refusal,
    operation_log_refusal,
    rotation_refusal,
)
from ..tables import PrivilegedAccountTable
from .common import ObjectFormView


class PrivilegedAccountListView(ObjectListView):
    """The register's lines; a line links to its account's page only for those who may open it."""

    model = PrivilegedAccount
    filterset_class = PrivilegedAccountFilter
    table_class = PrivilegedAccountTable
    allowed_roles = PRIVILEGED_READERS
    template_name = "accounts/privileged_account_list.html"
    create_url = reverse_lazy("accounts:privileged_account_create")

    def get_queryset(self):
        lines = PrivilegedAccount.objects.register_lines_for(self.request.user)
        # An aggregate drops Meta.ordering: the register's order is named again.
        lines = lines.annotate(operations_recorded=Count("operations")).order_by(*PrivilegedAccount._meta.ordering)
        return lines.prefetch_related("custodians")

    def get_table_kwargs(self):
        openable = PrivilegedAccount.objects.visible_to(self.request.user).values_list("pk", flat=True)
        return {**super().get_table_kwargs(), "openable": set(openable)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rotation_days"] = PrivilegedAccount.ROTATION_DAYS
        return context


class PrivilegedAccountFormMixin:
    form_class = PrivilegedAccountForm
    model = PrivilegedAccount
    allowed_roles = PRIVILEGED_KEEPERS

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


# An account's page and its actions ask no role: anyone may keep a tier-3 account (制度 4), and the queryset
# (``visible_to``: its custodians and the IT head) makes it a 404 for everyone else.


class PrivilegedAccountDetailView(ObjectDetailView):
    model = PrivilegedAccount
    template_name = "accounts/privileged_account_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        account, user = self.object, self.request.user
        context["operations"] = account.operations.select_related("performed_by", "witness", "recorded_by")[:100]
        context["rotation_form"] = (
            None if rotation_refusal(user, account) else RotationForm(initial={"changed_on": timezone.localdate()})
        )
        context["operation_form"] = None if operation_log_refusal(user, account) else MajorOperationForm()
        context["may_edit"] = account_edit_refusal(user, account) is None
        return context


class PrivilegedAccountRotationView(ObjectFormView):
    model = PrivilegedAccount
    form_class = RotationForm
    title = _("Record a password change")
    success_message = _("Password change recorded.")

    def refusal(self, account):
        return rotation_refusal(self.request.user, account)

    def get_initial(self):
        return {"changed_on": timezone.localdate()}

    def perform(self, form):
        return services.privileged_account_record_rotation(
            account=self.object, changed_on=form.cleaned_data["changed_on"], by=self.request.user
        )


class MajorOperationCreateView(ObjectFormView):
    model = PrivilegedAccount
    form_class = MajorOperationForm
    title = _("Record a major operation")
    success_message = _("Major operation recorded.")

    def refusal(self, account):
        return operation_log_refusal(self.request.user, account)

    def perform(self, form):
        return services.major_operation_record(account=self.object, by=self.request.user, **form.cleaned_data)


class PrivilegedAccountHistoryView(ObjectHistoryView):
    model = PrivilegedAccount
