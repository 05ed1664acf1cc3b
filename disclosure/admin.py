from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Category


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin):
    """The catalogue headings are editable here; items keep theirs (PROTECT)."""

    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name"]
