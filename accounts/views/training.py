"""Training records: the list (with each IT technician's year against the minimum) and recording a session."""

from django.contrib.auth import get_user_model
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.roles import has_role
from portal.views.generic import ObjectListView, ServiceFormView

from .. import services
from ..forms import TrainingRecordForm
from ..models import TrainingRecord
from ..permissions import TRAINING_KEEPERS, TRAINING_PAGE_ROLES, TRAINING_READERS
from ..tables import TrainingRecordTable


class TrainingListView(ObjectListView):
    model = TrainingRecord
    queryset = TrainingRecord.objects.select_related("trainee", "recorded_by")
    table_class = TrainingRecordTable
    filterset_fields = ["trainee"]
    allowed_roles = TRAINING_PAGE_ROLES
    title = _("Training records")
    template_name = "accounts/training_list.html"
    create_url = reverse_lazy("accounts:training_create")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        year = self.request.GET.get("year", "")
        year = int(year) if year.isdigit() and 2000 <= int(year) <= today.year else today.year
        people = None if has_role(self.request.user, *TRAINING_READERS) else self._myself()
        context.update(year=year, years=range(today.year, today.year - 5, -1))
        context["training_years"] = services.training_years(year, people)
        return context

    def _myself(self):
        return get_user_model().objects.filter(pk=self.request.user.pk)


class TrainingCreateView(ServiceFormView):
    form_class = TrainingRecordForm
    allowed_roles = TRAINING_KEEPERS
    title = _("Record a training")
    success_message = _("Training recorded.")
    success_url = reverse_lazy("accounts:training_list")

    def perform(self, form):
        return services.training_record(by=self.request.user, **form.cleaned_data)
