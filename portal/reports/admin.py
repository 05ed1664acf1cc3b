from django.contrib import admin

from .models import ReportArchive


@admin.register(ReportArchive)
class ReportArchiveAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
