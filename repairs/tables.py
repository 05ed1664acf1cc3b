import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import RepairTicket


class TicketTable(tables.Table):
    """Rows come in keyset pages (newest first), so columns are not sortable."""

    number = tables.Column(verbose_name=_("ticket number"), linkify=True, attrs={"td": {"class": "text-nowrap"}})
    reported_at = tables.DateTimeColumn(verbose_name=_("reported at"), format="Y-m-d H:i")
    device = tables.Column(verbose_name=_("device"), accessor="device_label", empty_values=())
    fault_class = tables.TemplateColumn(
        '<span class="badge {% if record.is_class_1 %}text-bg-danger{% else %}text-bg-light border{% endif %}">{{ record.get_fault_class_display }}</span>',
        verbose_name=_("fault class"),
    )
    state = tables.TemplateColumn(
        '<span class="badge text-bg-light border">{{ record.get_state_display }}</span>'
        '{% if record.is_paused %} <i class="bi bi-pause-circle text-muted" title="{{ record.get_state_display }}"></i>{% endif %}',
        verbose_name=_("status"),
    )
    repair_due = tables.TemplateColumn(
        '{% if record.repaired_at %}—{% else %}<span class="{% if record.is_breaching %}text-danger fw-semibold{% endif %}">{{ record.repair_due|date:"m-d H:i" }}</span>{% endif %}',
        verbose_name=_("repair due"),
    )

    class Meta:
        model = RepairTicket
        fields = [
            "number",
            "reported_at",
            "department",
            "device",
            "category",
            "fault_class",
            "state",
            "assignee",
            "repair_due",
        ]
        orderable = False
        attrs = {"class": "table table-sm table-hover mb-0", "data-testid": "ticket-table"}
