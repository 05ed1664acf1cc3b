"""Emergency drills (plans and records) and the security-incident register, with the incident's report PDF."""

from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView

from portal.pdf import pdf_response, render_pdf
from portal.permissions import RoleRequiredMixin, VisibleQuerysetMixin
from portal.views.generic import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    ServiceFormView,
    ServiceObjectFormView,
    TransitionView,
)

from . import services
from .filters import DrillPlanFilter, DrillRecordFilter, SecurityIncidentFilter
from .forms import DrillPlanForm, DrillRecordForm, IncidentReportForm, ResolveForm, SecurityIncidentForm
from .models import DrillPlan, DrillRecord, SecurityIncident
from .permissions import PLANNERS, READERS, RECORDERS
from .tables import DrillPlanTable, DrillRecordTable, SecurityIncidentTable


class ReadMixin:
    allowed_roles = READERS


class DrillPlanListView(ReadMixin, ObjectListView):
    model = DrillPlan
    queryset = DrillPlan.objects.select_related("owner").with_last_drill().order_by("scenario", "pk")
    filterset_class = DrillPlanFilter
    table_class = DrillPlanTable
    title = gettext_lazy("Emergency drill plans")
    create_url = reverse_lazy("emergency:plan_create")


class DrillPlanCreateView(ObjectCreateView):
    model = DrillPlan
    form_class = DrillPlanForm
    allowed_roles = PLANNERS
    title = gettext_lazy("New emergency drill plan")


class DrillPlanEditView(ObjectEditView):
    model = DrillPlan
    form_class = DrillPlanForm
    allowed_roles = PLANNERS


class DrillPlanDetailView(ReadMixin, ObjectDetailView):
    model = DrillPlan
    queryset = DrillPlan.objects.select_related("owner").with_last_drill().order_by("scenario", "pk")
    template_name = "emergency/plan_detail.html"

    def get_context_data(self, **kwargs):
        records = self.object.records.select_related("recorded_by").prefetch_related("participants")
        return super().get_context_data(records=records, **kwargs)


class DrillPlanHistoryView(ReadMixin, ObjectHistoryView):
    model = DrillPlan


class DrillRecordCreateView(ServiceObjectFormView):
    """On a plan's page: record a drill held under it."""

    model = DrillPlan
    allowed_roles = RECORDERS
    form_class = DrillRecordForm
    title = gettext_lazy("Record an emergency drill")
    success_message = gettext_lazy("Drill recorded.")

    def get_title(self):
        return _("Record an emergency drill: %(plan)s") % {"plan": self.object}

    def refusal(self, plan):
        return None if plan.is_active else _("This drill plan is no longer active.")

    def perform(self, form):
        return services.drill_record(plan=self.object, by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.result.get_absolute_url()


class DrillRecordListView(ReadMixin, ObjectListView):
    model = DrillRecord
    queryset = DrillRecord.objects.select_related("plan", "recorded_by")
    filterset_class = DrillRecordFilter
    table_class = DrillRecordTable
    title = gettext_lazy("Emergency drill records")


class DrillRecordDetailView(ReadMixin, ObjectDetailView):
    model = DrillRecord
    queryset = DrillRecord.objects.select_related("plan", "recorded_by").prefetch_related("participants")
    template_name = "emergency/drill_detail.html"


INCIDENT_RELATED = ("recorded_by", "resolved_by", "reported_by", "equipment")


class SecurityIncidentListView(ReadMixin, ObjectListView):
    model = SecurityIncident
    queryset = SecurityIncident.objects.select_related("recorded_by")
    filterset_class = SecurityIncidentFilter
    table_class = SecurityIncidentTable
    title = gettext_lazy("Security incidents")
    create_url = reverse_lazy("emergency:incident_create")


class SecurityIncidentCreateView(ServiceFormView):
    form_class = SecurityIncidentForm
    allowed_roles = RECORDERS
    title = gettext_lazy("Record a security incident")
    success_message = gettext_lazy("Security incident recorded.")

    def perform(self, form):
        return services.incident_record(by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.result.get_absolute_url()


class SecurityIncidentDetailView(ReadMixin, ObjectDetailView):
    model = SecurityIncident
    queryset = SecurityIncident.objects.select_related(*INCIDENT_RELATED)
    template_name = "emergency/incident_detail.html"
    extra_context = {"action_url_name": "emergency:incident_action"}


class SecurityIncidentActionView(ReadMixin, TransitionView):
    """Resolve an incident or file its report, through the app's one entry point for workflow steps."""

    model = SecurityIncident
    forms = {"resolve": ResolveForm, "file_report": IncidentReportForm}

    def run(self, obj, action, **arguments):
        return services.take_step(obj, action, by=self.request.user, **arguments)


class SecurityIncidentHistoryView(ReadMixin, ObjectHistoryView):
    model = SecurityIncident


class SecurityIncidentPdfView(ReadMixin, RoleRequiredMixin, VisibleQuerysetMixin, DetailView):
    """The incident's report as filed (上报医院存档), printable; before filing it shows the register's data."""

    model = SecurityIncident
    queryset = SecurityIncident.objects.select_related(*INCIDENT_RELATED)

    def get(self, request, *args, **kwargs):
        incident = self.get_object()
        pdf = render_pdf("emergency/pdf/incident_report.html", {"incident": incident, "printed_at": timezone.now()})
        return pdf_response(pdf, f"{incident.number}.pdf")
