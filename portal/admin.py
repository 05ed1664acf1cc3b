from django.contrib import admin

from .models import CalendarDay, TaskRun, TransitionLog


class LogAdminMixin:
    """A log the portal writes itself (workflow steps, task runs, backup evidence): the admin only reads it.

    Adding a row here would forge a record (e.g. a back-dated approval), so add, change and delete are refused.
    """

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


@admin.register(TaskRun)
class TaskRunAdmin(LogAdminMixin, admin.ModelAdmin):
    list_display = ["name", "started_at", "finished_at", "outcome"]


@admin.register(TransitionLog)
class TransitionLogAdmin(LogAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "content_type", "object_id", "action", "from_state", "to_state", "actor"]
    list_filter = ["content_type", "action"]
