import django_tables2 as tables
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import ConfigChange, Equipment, EquipmentImport, Rack, SpareLoan, Stocktake


class EquipmentTable(tables.Table):
    asset_no = tables.Column(linkify=True, attrs={"td": {"class": "text-nowrap"}})
    category = tables.Column(order_by=("category__sort_order",))
    model = tables.TemplateColumn(
        "{{ record.brand }} {{ record.model_name }}", verbose_name=_("model"), order_by=("brand", "model_name")
    )
    location = tables.Column(verbose_name=_("location"), order_by=("building", "floor", "room"), empty_values=())
    warranty_end = tables.TemplateColumn(
        '{% if value %}<span class="{% if not record.in_warranty %}text-danger{% endif %}">{{ value|date:"Y-m-d" }}</span>{% else %}—{% endif %}'
    )
    status = tables.TemplateColumn('<span class="badge text-bg-light border">{{ record.get_status_display }}</span>')

    class Meta:
        model = Equipment
        fields = [
            "asset_no",
            "category",
            "model",
            "serial_no",
            "department",
            "custodian",
            "location",
            "ip_address",
            "warranty_end",
            "status",
        ]
        attrs = {"class": "table table-sm table-hover mb-0", "data-testid": "equipment-table"}
        order_by = ("-created_at",)

    def render_location(self, record):
        return record.location or "—"


class RackTable(tables.Table):
    name = tables.Column(linkify=True)
    used_u = tables.Column(verbose_name=_("U in use"), orderable=False)
    devices = tables.Column(verbose_name=_("devices"), orderable=False)

    class Meta:
        model = Rack
        fields = ["room", "name", "height_u", "used_u", "devices"]
        attrs = {"class": "table table-sm table-hover mb-0"}


class SpareLoanTable(tables.Table):
    spare = tables.Column(linkify=lambda record: record.get_absolute_url())
    expected_return = tables.TemplateColumn(
        '{{ value|date:"Y-m-d" }}{% if record.is_overdue %} <span class="badge text-bg-danger">{% load i18n %}{% translate "Overdue" %}</span>{% endif %}'
    )
    returned_at = tables.DateTimeColumn(format="Y-m-d H:i")
    lent_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta:
        model = SpareLoan
        fields = ["spare", "department", "borrower", "handler", "lent_at", "expected_return", "returned_at", "reason"]
        attrs = {"class": "table table-sm table-hover mb-0", "data-testid": "loan-table"}


class StocktakeTable(tables.Table):
    number = tables.Column(linkify=True)
    scope = tables.Column(accessor="scope_display", order_by=("scope",), verbose_name=capfirst(_("stocktake scope")))
    opened_at = tables.DateTimeColumn(format="Y-m-d H:i")
    match_rate = tables.TemplateColumn("{% if value is not None %}{{ value }}%{% else %}—{% endif %}")

    class Meta:
        model = Stocktake
        fields = ["number", "scope", "state", "opened_by", "opened_at", "expected_count", "missing_count", "match_rate"]
        attrs = {"class": "table table-sm table-hover mb-0"}


class ConfigChangeTable(tables.Table):
    equipment = tables.Column(linkify=lambda record: record.get_absolute_url())
    performed_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta:
        model = ConfigChange
        fields = ["equipment", "kind", "description", "operator", "performed_at", "state"]
        attrs = {"class": "table table-sm table-hover mb-0"}


class EquipmentImportTable(tables.Table):
    file_name = tables.Column(linkify=True)
    uploaded_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta:
        model = EquipmentImport
        fields = ["file_name", "uploaded_by", "uploaded_at", "total", "processed", "state"]
        attrs = {"class": "table table-sm table-hover mb-0"}
