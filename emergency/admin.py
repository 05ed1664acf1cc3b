from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import GovernedRecordAdmin

from .models import DrillPlan, DrillRecord, SecurityIncident


@admin.register(DrillPlan)
class DrillPlanAdmin(SimpleHistoryAdmin):
    list_display = ["scenario", "plan_chapter", "interval_days", "starts_on", "owner", "is_active"]
    list_filter = ["is_active"]


@admin.register(DrillRecord)
class DrillRecordAdmin(GovernedRecordAdmin, admin.ModelAdmin):
    """Append-only once recorded: written by emergency.services.drill_record alone."""

    list_display = ["plan", "held_at", "restore_minutes", "recorded_by"]
    list_filter = ["plan"]


@admin.register(SecurityIncident)
class SecurityIncidentAdmin(GovernedRecordAdmin, SimpleHistoryAdmin):
    """Moved by the workflow only (open → resolved → reported)."""

    list_display = ["number", "kind", "title", "discovered_at", "state"]
    list_filter = ["state", "kind"]
