from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Escalation, FailureReport, PartRequestLine, RepairSettings, RepairTicket


class PartRequestLineInline(admin.TabularInline):
    model = PartRequestLine
    extra = 0


@admin.register(RepairTicket)
class RepairTicketAdmin(SimpleHistoryAdmin):
    list_display = ["number", "department", "category", "fault_class", "state", "assignee", "reported_at"]
    list_filter = ["state", "fault_class", "category"]
    search_fields = ["number", "equipment__asset_no", "description"]
    raw_id_fields = [
        "equipment",
        "reporter",
        "assignee",
        "repaired_by",
        "confirmed_by",
        "spare_loan",
        "inspection_result",
    ]
    readonly_fields = ["state"]
    inlines = [PartRequestLineInline]
    show_full_result_count = False


admin.site.register(RepairSettings, SimpleHistoryAdmin)
admin.site.register(Escalation, SimpleHistoryAdmin)
admin.site.register(FailureReport, SimpleHistoryAdmin)
