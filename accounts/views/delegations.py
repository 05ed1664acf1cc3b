"""Delegations (代理): the list, naming a deputy, and ending a delegation early."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from portal.views.generic import ObjectListView, ServiceActionView, ServiceFormView

from .. import services
from ..forms import DelegationForm
from ..models import Delegation
from ..permissions import DELEGATION_NAMERS, DELEGATION_PAGE_ROLES
from ..tables import DelegationTable


class DelegationListView(ObjectListView):
    model = Delegation
    queryset = Delegation.objects.select_related("department", "principal", "deputy", "created_by", "ended_by")
    table_class = DelegationTable
    filterset_fields = ["department"]
    allowed_roles = DELEGATION_PAGE_ROLES
    title = _("Delegations")
    create_url = reverse_lazy("accounts:delegation_create")


class DelegationCreateView(ServiceFormView):
    form_class = DelegationForm
    title = _("Name a deputy")
    success_message = _("Deputy named.")
    success_url = reverse_lazy("accounts:delegation_list")
    allowed_roles = DELEGATION_NAMERS

    def perform(self, form):
        return services.delegation_create(by=self.request.user, **form.cleaned_data)


class DelegationEndView(ServiceActionView):
    """POST: end the delegation now (the head is back); the deputy's right goes at once."""

    model = Delegation
    allowed_roles = DELEGATION_PAGE_ROLES
    success_message = _("Delegation ended.")

    def act(self, obj):
        return services.delegation_end(delegation=obj, by=self.request.user)

    def get_success_url(self):
        return reverse_lazy("accounts:delegation_list")
