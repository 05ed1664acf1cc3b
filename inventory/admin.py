from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import EquipmentCategory, ImportProfile, Rack


@admin.register(EquipmentCategory)
class EquipmentCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "sort_order", "is_active"]
    list_editable = ["name", "sort_order", "is_active"]


@admin.register(Rack)
class RackAdmin(SimpleHistoryAdmin):
    list_display = ["room", "name", "height_u"]


@admin.register(ImportProfile)
class ImportProfileAdmin(admin.ModelAdmin):
    """A source system's export layout; each successful import from it refines the profile."""

    list_display = ["name", "date_format", "decimal_separator", "updated_at"]
