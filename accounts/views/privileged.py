"""The privileged-account register: list, form, page, password changes and major operations."""

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
from ..permissions import PRIVILEGED_KEEPERS, PRIVILEGED_READERS, may_keep_privileged, operation_log_refusal
from ..tables import PrivilegedAccountTable
from .common import ObjectFormView


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


class PrivilegedAccountDetailView(ObjectDetailView):
    model = PrivilegedAccount
    allowed_roles = PRIVILEGED_READERS
    template_name = "accounts/privileged_account_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["operations"] = self.object.operations.select_related("performed_by", "witness", "recorded_by")[:100]
        may_write = may_keep_privileged(self.request.user)
        context["rotation_form"] = RotationForm(initial={"changed_on": timezone.localdate()}) if may_write else None
        context["operation_form"] = MajorOperationForm() if may_write and self.object.needs_operation_log else None
        return context


class PrivilegedAccountRotationView(ObjectFormView):
    model = PrivilegedAccount
    allowed_roles = PRIVILEGED_KEEPERS
    form_class = RotationForm
    title = _("Record a password change")
    success_message = _("Password change recorded.")

    def get_initial(self):
        return {"changed_on": timezone.localdate()}

    def perform(self, form):
        return services.privileged_account_record_rotation(
            account=self.object, changed_on=form.cleaned_data["changed_on"], by=self.request.user
        )


class MajorOperationCreateView(ObjectFormView):
    model = PrivilegedAccount
    allowed_roles = PRIVILEGED_KEEPERS
    form_class = MajorOperationForm
    title = _("Record a major operation")
    success_message = _("Major operation recorded.")

    def refusal(self, account):
        return operation_log_refusal(self.request.user, account)

    def perform(self, form):
        return services.major_operation_record(account=self.object, by=self.request.user, **form.cleaned_data)


class PrivilegedAccountHistoryView(ObjectHistoryView):
    model = PrivilegedAccount
    allowed_roles = PRIVILEGED_READERS
