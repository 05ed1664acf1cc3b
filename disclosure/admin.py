from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import GovernedRecordAdmin

from .models import Category, DisclosureItem, DisclosureRequest


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin):
    """The catalogue headings are editable here; items keep theirs (PROTECT)."""

    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name"]


@admin.register(DisclosureItem)
class DisclosureItemAdmin(GovernedRecordAdmin, admin.ModelAdmin):
    """Read-only: an item moves only through its seven-stage review."""


@admin.register(DisclosureRequest)
class DisclosureRequestAdmin(GovernedRecordAdmin, admin.ModelAdmin):
    """Read-only: a request for information is answered on its own page, within its deadline."""
