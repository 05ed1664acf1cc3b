from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import EquipmentCategory, Rack


@admin.register(EquipmentCategory)
class EquipmentCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "sort_order", "is_active"]
    list_editable = ["name", "sort_order", "is_active"]


@admin.register(Rack)
class RackAdmin(SimpleHistoryAdmin):
    list_display = ["room", "name", "height_u"]
