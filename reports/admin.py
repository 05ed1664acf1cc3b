from django.contrib import admin

from portal.admin import GovernedRecordAdmin

from .models import ReportArchive


@admin.register(ReportArchive)
class ReportArchiveAdmin(GovernedRecordAdmin, admin.ModelAdmin):
    """Read-only: statistical reports are kept permanently, as generated."""

    list_display = [
        "kind",
        "period_start",
        "period_end",
        "department",
        "version",
        "status",
        "generated_by",
        "generated_at",
        "sha256",
    ]
    list_filter = ["kind", "status"]
    date_hierarchy = "period_start"
