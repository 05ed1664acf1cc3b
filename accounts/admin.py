from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Department, Grant, InformationSystem, RecertificationCampaign, SystemModule, User


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "head", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["head"]


@admin.register(User)
class PortalUserAdmin(UserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "full_name", "employee_no", "department", "is_active"]
    list_filter = ["is_active", "groups", "department"]
    search_fields = ["username", "full_name", "employee_no"]
    fieldsets = UserAdmin.fieldsets + (
        (_("Hospital"), {"fields": ("employee_no", "full_name", "department", "phone")}),
    )
    add_fieldsets = UserAdmin.add_fieldsets + ((_("Hospital"), {"fields": ("employee_no", "full_name", "department")}),)


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
class GrantAdmin(SimpleHistoryAdmin):
    list_display = ["user", "system", "account_name", "state", "ends_on"]
    list_filter = ["state", "system"]
    search_fields = ["user__full_name", "account_name"]
    readonly_fields = ["state"]
    raw_id_fields = ["user"]


@admin.register(RecertificationCampaign)
class RecertificationCampaignAdmin(SimpleHistoryAdmin):
    list_display = ["quarter", "opened_at", "due_on"]
