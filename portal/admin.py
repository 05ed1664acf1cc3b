from django.contrib import admin

from .models import CalendarDay, TaskRun, TransitionLog


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


@admin.register(TaskRun)
class TaskRunAdmin(admin.ModelAdmin):
    list_display = ["name", "started_at", "finished_at", "outcome"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TransitionLog)
class TransitionLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "content_type", "object_id", "action", "from_state", "to_state", "actor"]
    list_filter = ["content_type", "action"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


from .reports import admin as reports_admin  # noqa: E402,F401  (registers the report archive)
