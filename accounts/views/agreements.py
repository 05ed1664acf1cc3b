"""Signed agreements: the register and recording a signature."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from portal.views.generic import ObjectListView, ServiceFormView

from .. import services
from ..forms import AgreementForm
from ..models import Agreement
from ..permissions import AGREEMENT_KEEPERS, AGREEMENT_READERS
from ..tables import AgreementTable


class AgreementListView(ObjectListView):
    model = Agreement
    queryset = Agreement.objects.select_related("signatory__department", "recorded_by")
    table_class = AgreementTable
    filterset_fields = ["kind"]
    allowed_roles = AGREEMENT_READERS
    title = _("Signed agreements")
    create_url = reverse_lazy("accounts:agreement_create")


class AgreementCreateView(ServiceFormView):
    form_class = AgreementForm
    allowed_roles = AGREEMENT_KEEPERS
    title = _("Record a signed agreement")
    success_message = _("Agreement recorded.")
    success_url = reverse_lazy("accounts:agreement_list")

    def perform(self, form):
        return services.agreement_record(by=self.request.user, **form.cleaned_data)
