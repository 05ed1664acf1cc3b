from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import GovernedRecordAdmin

from .models import (
    AccessScheme,
    AccessSchemeLine,
    Delegation,
    Department,
    Grant,
    InformationSystem,
    PasswordHistory,
    RecertificationCampaign,
    RoleChange,
    SensitiveQueryLog,
    SystemModule,
    User,
)


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "head", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["head"]


@admin.register(User)
class PortalUserAdmin(UserAdmin, SimpleHistoryAdmin):
    """Logins are kept here; roles are given on the portal's role page (governed and recorded), never here.

    Superuser status and model permissions are read-only too: a business login never becomes the system
    administrator (003 (八)14). The employee number is required by ``User.clean`` (000 保密制度 6).
    """

    list_display = ["username", "full_name", "employee_no", "department", "is_active"]
    list_filter = ["is_active", "groups", "department"]
    search_fields = ["username", "full_name", "employee_no"]
    fieldsets = UserAdmin.fieldsets + (
        (_("Hospital"), {"fields": ("employee_no", "full_name", "department", "phone", "password_changed_at")}),
    )
    add_fieldsets = UserAdmin.add_fieldsets + ((_("Hospital"), {"fields": ("employee_no", "full_name", "department")}),)
    readonly_fields = ["groups", "user_permissions", "is_superuser", "last_login", "date_joined", "password_changed_at"]


@admin.register(PasswordHistory)
class PasswordHistoryAdmin(GovernedRecordAdmin, admin.ModelAdmin):
    """When each login's password changed; the hashes stay out of sight."""

    list_display = ["user", "changed_at"]
    fields = ["user", "changed_at"]
    search_fields = ["user__username", "user__full_name"]


class SystemModuleInline(admin.TabularInline):
    model = SystemModule
    extra = 1


@admin.register(InformationSystem)
class InformationSystemAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "tier", "owner", "is_active"]
    list_filter = ["tier", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["owner"]
    inlines = [SystemModuleInline]


@admin.register(Grant)
class GrantAdmin(GovernedRecordAdmin, SimpleHistoryAdmin):
    list_display = ["user", "system", "account_name", "state", "ends_on"]
    list_filter = ["state", "system"]
    search_fields = ["user__full_name", "account_name"]


@admin.register(RecertificationCampaign)
class RecertificationCampaignAdmin(GovernedRecordAdmin, SimpleHistoryAdmin):
    list_display = ["quarter", "opened_at", "due_on"]


@admin.register(SensitiveQueryLog)
class SensitiveQueryLogAdmin(GovernedRecordAdmin, admin.ModelAdmin):
    list_display = ["run_at", "computer_no", "operator_code", "scope"]


@admin.register(RoleChange)
class RoleChangeAdmin(GovernedRecordAdmin, admin.ModelAdmin):
    list_display = ["changed_at", "user", "change", "role", "changed_by"]
    list_filter = ["role", "change"]


class AccessSchemeLineInline(admin.TabularInline):
    model = AccessSchemeLine
    fields = ["module", "allotted_to"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccessScheme)
class AccessSchemeAdmin(GovernedRecordAdmin, SimpleHistoryAdmin):
    list_display = ["system", "version", "state", "proposed_by", "decided_by", "decided_at"]
    list_filter = ["state", "system"]
    inlines = [AccessSchemeLineInline]


@admin.register(Delegation)
class DelegationAdmin(GovernedRecordAdmin, SimpleHistoryAdmin):
    """Named and ended on the portal's delegation page, which gives and takes the deputy's right; read-only here."""

    list_display = ["department", "principal", "deputy", "starts_on", "ends_on", "ended_at"]
    list_filter = ["department"]
