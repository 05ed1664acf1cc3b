"""The server operation log."""

from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy

from portal.views.generic import ObjectDetailView, ObjectListView, ServiceFormView

from .. import services
from ..filters import ServerOperationFilter
from ..forms import ServerOperationForm
from ..models import ServerOperation
from ..permissions import RECORD_ROLES
from ..tables import ServerOperationTable
from .common import ReadMixin, ResultPageMixin


class OperationListView(ReadMixin, ObjectListView):
    model = ServerOperation
    queryset = ServerOperation.objects.select_related("operator", "present_dba")
    filterset_class = ServerOperationFilter
    table_class = ServerOperationTable
    create_url = reverse_lazy("backups:operation_create")


class OperationDetailView(ReadMixin, ObjectDetailView):
    model = ServerOperation
    queryset = ServerOperation.objects.select_related("operator", "present_dba", "recorded_by", "target")
    template_name = "backups/operation_detail.html"


class OperationCreateView(ResultPageMixin, ServiceFormView):
    title = gettext_lazy("Record a server operation")
    allowed_roles = RECORD_ROLES
    form_class = ServerOperationForm
    success_message = gettext_lazy("Saved.")

    def get_initial(self):
        return {"operator": self.request.user.pk, "started_at": timezone.localtime().replace(second=0, microsecond=0)}

    def perform(self, form):
        return services.server_operation_record(by=self.request.user, **form.cleaned_data)
