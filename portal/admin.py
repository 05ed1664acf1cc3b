from django.contrib import admin
from django.core.exceptions import PermissionDenied

from .models import CalendarDay, SecurityEvent, TaskRun, TransitionLog


class GovernedRecordAdmin:
    """A record only a workflow or a service writes (logs, evidence, approvals): the admin shows it and no more.

    Adding or editing one here would forge it (a grant with no request, a back-dated approval, an edited backup
    run), so add, change, delete and the history's "revert" are refused to everyone, superusers included.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history saves a posted revert after checking only the view permission.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


@admin.register(TaskRun)
class TaskRunAdmin(GovernedRecordAdmin, admin.ModelAdmin):
    list_display = ["name", "started_at", "finished_at", "outcome"]


@admin.register(TransitionLog)
class TransitionLogAdmin(GovernedRecordAdmin, admin.ModelAdmin):
    list_display = ["created_at", "content_type", "object_id", "action", "from_state", "to_state", "actor"]
    list_filter = ["content_type", "action"]


@admin.register(SecurityEvent)
class SecurityEventAdmin(GovernedRecordAdmin, admin.ModelAdmin):
    list_display = ["at", "kind", "username", "ip", "what"]
    list_filter = ["kind"]
    search_fields = ["username", "what"]
    date_hierarchy = "at"
