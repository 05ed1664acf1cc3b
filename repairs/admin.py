from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import GovernedRecordAdmin

from .models import Escalation, FailureReport, PartRequestLine, RepairSettings, RepairTicket


class PartRequestLineInline(admin.TabularInline):
    model = PartRequestLine
    extra = 0


@admin.register(RepairTicket)
class RepairTicketAdmin(GovernedRecordAdmin, SimpleHistoryAdmin):
    list_display = ["number", "department", "category", "fault_class", "state", "assignee", "reported_at"]
    list_filter = ["state", "fault_class", "category"]
    search_fields = ["number", "equipment__asset_no", "description"]
    inlines = [PartRequestLineInline]
    show_full_result_count = False


@admin.register(Escalation)
class EscalationAdmin(GovernedRecordAdmin, SimpleHistoryAdmin):
    pass


@admin.register(FailureReport)
class FailureReportAdmin(GovernedRecordAdmin, SimpleHistoryAdmin):
    pass


admin.site.register(RepairSettings, SimpleHistoryAdmin)
