"""Backup media, their custody handovers and media stocktakes."""

from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.views.generic import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ServiceFormView,
    ServiceObjectFormView,
    TransitionView,
)

from .. import services
from ..filters import BackupMediumFilter, CustodyHandoverFilter
from ..forms import BackupMediumForm, CustodyHandoverForm, StocktakeCountForm, StocktakeForm
from ..models import BackupMedium, CustodyHandover, MediaStocktake
from ..permissions import MANAGE_ROLES, may_manage
from ..tables import BackupMediumTable, CustodyHandoverTable, MediaStocktakeTable
from .common import ReadMixin, ResultPageMixin


class MediumListView(ReadMixin, ObjectListView):
    model = BackupMedium
    queryset = BackupMedium.objects.select_related("custodian")
    filterset_class = BackupMediumFilter
    table_class = BackupMediumTable
    create_url = reverse_lazy("backups:medium_create")
    template_name = "backups/medium_list.html"


class MediumDetailView(ReadMixin, ObjectDetailView):
    model = BackupMedium
    queryset = BackupMedium.objects.select_related("custodian")
    template_name = "backups/medium_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["handovers"] = self.object.handovers.select_related("from_person", "to_person")[:100]
        context["runs"] = self.object.runs.select_related("target")[:20]
        return context


class MediumFormMixin:
    allowed_roles = MANAGE_ROLES
    model = BackupMedium
    form_class = BackupMediumForm


class MediumCreateView(MediumFormMixin, ObjectCreateView):
    title = gettext_lazy("New backup medium")


class MediumEditView(MediumFormMixin, ObjectEditView):
    title = gettext_lazy("Edit backup medium")


class MediaStepView(ReadMixin, TransitionView):
    """A custody handover's or a stocktake's step, through the app's one entry point for them."""

    def run(self, obj, action, **arguments):
        return services.take_step(obj, action, by=self.request.user, **arguments)


# --- custody --------------------------------------------------------------------------------------


class CustodyListView(ReadMixin, ObjectListView):
    model = CustodyHandover
    queryset = CustodyHandover.objects.select_related("from_person", "to_person").prefetch_related("media")
    filterset_class = CustodyHandoverFilter
    table_class = CustodyHandoverTable
    create_url = reverse_lazy("backups:custody_create")
    title = gettext_lazy("Custody handovers")


class CustodyDetailView(ReadMixin, ObjectDetailView):
    model = CustodyHandover
    queryset = CustodyHandover.objects.select_related("from_person", "to_person")
    template_name = "backups/custody_detail.html"
    extra_context = {"action_url_name": "backups:custody_action"}


class CustodyCreateView(ResultPageMixin, ServiceFormView):
    title = gettext_lazy("New custody handover")
    allowed_roles = MANAGE_ROLES
    form_class = CustodyHandoverForm
    success_message = gettext_lazy("Handover recorded; the receiver has been asked to sign.")

    def get_initial(self):
        return {"from_person": self.request.user.pk}

    def perform(self, form):
        return services.custody_handover_create(by=self.request.user, **form.cleaned_data)


class CustodyActionView(MediaStepView):
    model = CustodyHandover


# --- stocktakes -----------------------------------------------------------------------------------


class StocktakeListView(ReadMixin, ObjectListView):
    model = MediaStocktake
    queryset = MediaStocktake.objects.select_related("counted_by")
    table_class = MediaStocktakeTable
    create_url = reverse_lazy("backups:stocktake_create")
    filterset_fields = ["state", "location"]


class StocktakeCreateView(ResultPageMixin, ServiceFormView):
    title = gettext_lazy("New media stocktake")
    allowed_roles = MANAGE_ROLES
    form_class = StocktakeForm

    def perform(self, form):
        return services.stocktake_open(by=self.request.user, **form.cleaned_data)


def stocktake_lines(stocktake):
    return stocktake.lines.select_related("medium", "medium__custodian")


class StocktakeDetailView(ReadMixin, ObjectDetailView):
    model = MediaStocktake
    queryset = MediaStocktake.objects.select_related("counted_by")
    template_name = "backups/stocktake_detail.html"
    extra_context = {"action_url_name": "backups:stocktake_action"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lines = list(stocktake_lines(self.object))
        context["lines"] = lines
        context["missing"] = sum(1 for line in lines if line.result == "missing")
        if self.object.is_open and may_manage(self.request.user):
            context["count_form"] = StocktakeCountForm(lines=lines)
        return context


class StocktakeCountView(ServiceObjectFormView):
    """Each line of an open stocktake recorded as found, found elsewhere or missing."""

    model = MediaStocktake
    allowed_roles = MANAGE_ROLES
    form_class = StocktakeCountForm
    template_name = "backups/stocktake_count.html"
    success_message = gettext_lazy("Saved.")

    def refusal(self, stocktake):
        return None if stocktake.is_open else _("This stocktake is closed.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "lines": stocktake_lines(self.object)}

    def perform(self, form):
        return services.stocktake_record(stocktake=self.object, results=form.results(), by=self.request.user)


class StocktakeActionView(MediaStepView):
    model = MediaStocktake
