import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import DisclosureItem, DisclosureRequest


class ItemTable(tables.Table):
    number = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    category = tables.Column(accessor="category__name", verbose_name=_("Category"))
    department = tables.Column(accessor="department__name", verbose_name=_("Source department"))
    collector = tables.Column(accessor="collector__full_name", verbose_name=_("Collector"))
    state = tables.Column()
    attribute = tables.Column()
    formed_on = tables.DateColumn(format="Y-m-d")
    entry_due = tables.DateColumn(format="Y-m-d")

    class Meta:
        model = DisclosureItem
        fields = [
            "number", "title", "category", "department", "collector", "state", "attribute", "formed_on", "entry_due",
        ]  # fmt: skip
        attrs = {"class": "table table-hover table-sm align-middle mb-0", "data-testid": "item-table"}
        row_attrs = {"class": lambda record: "table-danger" if record.entry_overdue else ""}
        order_by = ("-created_at",)

    def render_state(self, record, value):
        return format_html('<span class="badge text-bg-secondary">{}</span>', value)


class RequestTable(tables.Table):
    number = tables.Column(linkify=True)
    applicant_name = tables.Column(linkify=True)
    state = tables.Column()
    received_on = tables.DateColumn(format="Y-m-d (D)")
    due_on = tables.DateColumn(format="Y-m-d")
    responded_on = tables.DateColumn(format="Y-m-d")

    class Meta:
        model = DisclosureRequest
        fields = [
            "number", "applicant_name", "channel", "received_on", "state", "due_on", "response_type", "responded_on",
        ]  # fmt: skip
        attrs = {"class": "table table-hover table-sm align-middle mb-0", "data-testid": "request-table"}
        row_attrs = {"class": lambda record: "table-danger" if _overdue(record) else ""}

    def render_due_on(self, record, value):
        if value is None:  # 补正: the clock stands until the corrected request arrives
            return _("clock stopped")
        if _overdue(record):
            return format_html('<span class="text-danger fw-bold">{} · {}</span>', f"{value:%Y-%m-%d}", _("overdue"))
        return f"{value:%Y-%m-%d}"


def _overdue(record):
    unanswered = record.state != DisclosureRequest.State.ANSWERED
    return unanswered and record.due_on is not None and record.due_on < timezone.localdate()
