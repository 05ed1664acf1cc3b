import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import InspectionRound, ItemRemoval, RoundResult, Visit


class RoundTable(tables.Table):
    period_start = tables.Column(verbose_name=_("Inspection period"), linkify=True)
    room = tables.Column(verbose_name=_("Machine room"), default="—")
    abnormal_count = tables.Column(verbose_name=_("Abnormal items"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = InspectionRound
        fields = ["period_start", "room", "template", "version", "inspector", "state", "submitted_at", "abnormal_count"]
        attrs = {"class": "table table-hover mb-0"}

    def render_version(self, value):
        return f"v{value.number}"

    def render_abnormal_count(self, value):
        return value or "—"


class AbnormalityTable(tables.Table):
    item = tables.Column(
        verbose_name=_("Item"), linkify=lambda record: record.get_absolute_url(), accessor="item__label"
    )
    period = tables.Column(verbose_name=_("Inspection period"), accessor="round__period_start")
    room = tables.Column(verbose_name=_("Machine room"), accessor="round__room", default="—")
    group = tables.Column(verbose_name=_("Group"), accessor="item__group", orderable=False)
    finding = tables.Column(verbose_name=_("Finding"), accessor="description", orderable=False)
    closed_at = tables.Column(verbose_name=_("Status"), default=_("Open"))

    class Meta:
        model = RoundResult
        fields = ["item", "period", "room", "group", "finding", "closed_at"]
        attrs = {"class": "table table-hover mb-0"}

    def render_group(self, record):
        return record.item.get_group_display()

    def render_finding(self, record):
        return f"{record.finding_label}：{record.description}"

    def render_closed_at(self, value):
        return _("Closed %(when)s") % {"when": f"{value:%Y-%m-%d}"}


class VisitTable(tables.Table):
    visitor_name = tables.Column(linkify=True)
    id_number = tables.Column(accessor="id_number_masked", orderable=False, verbose_name=_("ID document number"))

    class Meta:
        model = Visit
        fields = [
            "visit_date",
            "visitor_name",
            "id_number",
            "forbidden_items_found",
            "organisation",
            "room",
            "purpose",
            "state",
            "escort",
            "checked_in_at",
            "checked_out_at",
        ]
        attrs = {"class": "table table-hover mb-0"}


class ItemRemovalTable(tables.Table):
    item = tables.Column(linkify=True)

    class Meta:
        model = ItemRemoval
        fields = [
            "planned_on",
            "item",
            "asset_number",
            "quantity",
            "room",
            "carrier",
            "reason",
            "state",
            "approved_by",
            "approved_at",
            "carried_out_at",
        ]
        attrs = {"class": "table table-hover mb-0"}
