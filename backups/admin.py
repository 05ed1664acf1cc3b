from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import GovernedRecordAdmin

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

# Every backups record is written by the portal's pages and services: plans, media and tokens too, so that the
# rules on them (who may change a plan, where a medium is, a token's hash) hold for the admin as well.


@admin.register(BackupTarget)
class BackupTargetAdmin(GovernedRecordAdmin, SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "responsible_dba", "verification_interval_days", "auto_verify", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]


@admin.register(BackupRun)
class BackupRunAdmin(GovernedRecordAdmin, SimpleHistoryAdmin):
    list_display = ["target", "kind", "status", "started_at", "size_bytes", "source"]
    list_filter = ["status", "kind", "source"]
    date_hierarchy = "started_at"


@admin.register(Verification)
class VerificationAdmin(GovernedRecordAdmin, SimpleHistoryAdmin):
    list_display = ["target", "method", "result", "started_at", "is_automatic", "operator"]
    list_filter = ["result", "method", "is_automatic"]
    date_hierarchy = "started_at"


@admin.register(ScriptToken)
class ScriptTokenAdmin(GovernedRecordAdmin, SimpleHistoryAdmin):
    list_display = ["target", "label", "prefix", "created_at", "revoked_at", "last_used_at"]
    exclude = ["token_hash"]


@admin.register(ServerOperation)
class ServerOperationAdmin(GovernedRecordAdmin, SimpleHistoryAdmin):
    list_display = ["server", "kind", "started_at", "operator"]
    list_filter = ["kind"]


@admin.register(BackupAlert)
class BackupAlertAdmin(GovernedRecordAdmin, admin.ModelAdmin):
    list_display = ["target", "kind", "raised_at"]
    list_filter = ["kind"]


@admin.register(BackupMedium)
class BackupMediumAdmin(GovernedRecordAdmin, SimpleHistoryAdmin):
    list_display = ["label", "custodian"]


@admin.register(CustodyHandover)
class CustodyHandoverAdmin(GovernedRecordAdmin, SimpleHistoryAdmin):
    pass


@admin.register(MediaStocktake)
class MediaStocktakeAdmin(GovernedRecordAdmin, SimpleHistoryAdmin):
    pass


@admin.register(DbaHandover)
class DbaHandoverAdmin(GovernedRecordAdmin, SimpleHistoryAdmin):
    pass
