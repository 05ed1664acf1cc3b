"""DBA handovers: started by the DBA or the IT head, completed by the successor's own evidence."""

from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.views.generic import ObjectDetailView, ObjectListView, ServiceFormView, ServiceObjectFormView

from .. import services
from ..forms import DbaHandoverForm, DbaHandoverLinkForm
from ..models import DbaHandover
from ..permissions import MANAGE_ROLES, may_link_evidence
from ..tables import DbaHandoverTable
from .common import ReadMixin, ResultPageMixin


class DbaHandoverPageMixin(ReadMixin):
    model = DbaHandover
    queryset = DbaHandover.objects.select_related(
        "departing_dba", "successor", "backup_run__target", "verification__target"
    )


class DbaHandoverListView(DbaHandoverPageMixin, ObjectListView):
    table_class = DbaHandoverTable
    create_url = reverse_lazy("backups:dba_handover_create")
    filterset_fields = ["departing_dba", "successor"]


def link_refusal(handover, user) -> str | None:
    """Why ``user`` may not link evidence to ``handover`` now, or ``None``."""
    if handover.is_complete:
        return _("This handover is already complete.")
    if not may_link_evidence(user, handover):
        return _("Only the DBA, the IT head or the successor links evidence to a handover.")
    return None


class DbaHandoverDetailView(DbaHandoverPageMixin, ObjectDetailView):
    template_name = "backups/dba_handover_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if link_refusal(self.object, self.request.user) is None:
            context["link_form"] = DbaHandoverLinkForm(handover=self.object)
        return context


class DbaHandoverLinkView(DbaHandoverPageMixin, ServiceObjectFormView):
    """Link the successor's own backup and restore test by hand (evidence recorded later is linked by itself)."""

    form_class = DbaHandoverLinkForm
    template_name = "backups/dba_handover_link.html"
    success_message = gettext_lazy("Saved.")

    def refusal(self, handover):
        return link_refusal(handover, self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "handover": self.object}

    def perform(self, form):
        return services.dba_handover_link(handover=self.object, by=self.request.user, **form.cleaned_data)


class DbaHandoverCreateView(ResultPageMixin, ServiceFormView):
    title = gettext_lazy("Start a DBA handover")
    allowed_roles = MANAGE_ROLES
    form_class = DbaHandoverForm
    success_message = gettext_lazy("Handover started; the successor has been notified.")

    def perform(self, form):
        return services.dba_handover_start(by=self.request.user, **form.cleaned_data)
