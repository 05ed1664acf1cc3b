import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from .models import DrillPlan, DrillRecord, DueStatus, SecurityIncident


class DrillPlanTable(tables.Table):
    scenario = tables.Column(linkify=True)
    last_drill_on = tables.Column(verbose_name=_("last drill"), accessor="last_drill_at", default="—")
    due_on = tables.Column(verbose_name=_("next drill due"), empty_values=(), orderable=False)
    due_status = tables.Column(verbose_name=_("due status"), empty_values=(), orderable=False)

    class Meta:
        model = DrillPlan
        fields = ["scenario", "plan_chapter", "interval_days", "owner", "last_drill_on", "due_on", "due_status"]
        attrs = {"class": "table table-sm table-hover mb-0", "data-testid": "drill-plans"}

    def render_last_drill_on(self, record):
        return record.last_drill_on or "—"

    def render_due_on(self, record):
        return record.due_on if record.is_active else "—"

    def render_due_status(self, record):
        if not record.is_active:
            return _("Inactive")
        return render_to_string("emergency/_due_badge.html", {"status": record.due_status()})

    def value_due_status(self, record):
        return _("Inactive") if not record.is_active else DueStatus(record.due_status()).label


class DrillRecordTable(tables.Table):
    held_at = tables.DateTimeColumn(format="Y-m-d H:i", linkify=True)
    activities = tables.Column(orderable=False)

    class Meta:
        model = DrillRecord
        fields = ["held_at", "plan", "activities", "restore_minutes", "recorded_by"]
        attrs = {"class": "table table-sm table-hover mb-0", "data-testid": "drill-records"}

    def render_activities(self, value):
        return value if len(value) <= 60 else f"{value[:60]}…"


class SecurityIncidentTable(tables.Table):
    number = tables.Column(linkify=True)
    discovered_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta:
        model = SecurityIncident
        fields = ["number", "kind", "title", "discovered_at", "state", "recorded_by"]
        attrs = {"class": "table table-sm table-hover mb-0", "data-testid": "security-incidents"}
