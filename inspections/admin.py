from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import GovernedRecordAdmin

from .forms import MachineRoomForm
from .models import (
    InspectionRound,
    InspectionTemplate,
    MachineRoom,
    MissedInspection,
    TemplateItem,
    TemplateVersion,
    Visit,
)


@admin.register(MachineRoom)
class MachineRoomAdmin(SimpleHistoryAdmin):
    list_display = MachineRoomForm.Meta.fields


class TemplateItemInline(admin.TabularInline):
    model = TemplateItem
    extra = 0


@admin.register(TemplateVersion)
class TemplateVersionAdmin(GovernedRecordAdmin, admin.ModelAdmin):
    """Versions are made by saving a new one on the template page, never in place."""

    list_display = ["template", "number", "created_by", "created_at"]
    inlines = [TemplateItemInline]


@admin.register(InspectionTemplate)
class InspectionTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["name", "target", "frequency", "is_active"]


@admin.register(InspectionRound)
class InspectionRoundAdmin(GovernedRecordAdmin, SimpleHistoryAdmin):
    list_display = ["period_start", "room", "template", "inspector", "state", "abnormal_count"]
    list_filter = ["state", "room", "template"]


@admin.register(MissedInspection)
class MissedInspectionAdmin(GovernedRecordAdmin, SimpleHistoryAdmin):
    list_display = ["period_start", "room", "template", "recorded_at"]


@admin.register(Visit)
class VisitAdmin(GovernedRecordAdmin, SimpleHistoryAdmin):
    list_display = ["visit_date", "visitor_name", "organisation", "room", "state", "escort"]
    list_filter = ["state", "room"]
