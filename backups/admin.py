from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import LogAdminMixin

from .models import (
    BackupAlert,
    BackupMedium,
    BackupRun,
    BackupTarget,
    CustodyHandover,
    DbaHandover,
    MediaStocktake,
    ScriptToken,
    ServerOperation,
    Verification,
)


@admin.register(BackupTarget)
class BackupTargetAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "responsible_dba", "verification_interval_days", "auto_verify", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]


@admin.register(BackupRun)
class BackupRunAdmin(LogAdminMixin, SimpleHistoryAdmin):
    list_display = ["target", "kind", "status", "started_at", "size_bytes", "source"]
    list_filter = ["status", "kind", "source"]
    date_hierarchy = "started_at"
    raw_id_fields = ["target", "medium", "operator"]


@admin.register(Verification)
class VerificationAdmin(LogAdminMixin, SimpleHistoryAdmin):
    list_display = ["target", "method", "result", "started_at", "is_automatic", "operator"]
    list_filter = ["result", "method", "is_automatic"]
    date_hierarchy = "started_at"
    raw_id_fields = ["target", "backup_run", "operator", "witness"]


@admin.register(ScriptToken)
class ScriptTokenAdmin(SimpleHistoryAdmin):
    list_display = ["target", "label", "prefix", "created_at", "revoked_at", "last_used_at"]
    readonly_fields = ["token_hash", "prefix"]


@admin.register(ServerOperation)
class ServerOperationAdmin(LogAdminMixin, SimpleHistoryAdmin):
    list_display = ["server", "kind", "started_at", "operator"]
    list_filter = ["kind"]


@admin.register(BackupAlert)
class BackupAlertAdmin(LogAdminMixin, admin.ModelAdmin):
    list_display = ["target", "kind", "raised_at"]
    list_filter = ["kind"]


admin.site.register(BackupMedium, SimpleHistoryAdmin)
admin.site.register(CustodyHandover, SimpleHistoryAdmin)
admin.site.register(MediaStocktake, SimpleHistoryAdmin)
admin.site.register(DbaHandover, SimpleHistoryAdmin)
