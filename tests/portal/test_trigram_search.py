"""On PostgreSQL the lists' word searches are answered from trigram indexes, not by reading every row."""

import pytest
from django.db import connection

from accounts.models import User
from inventory.filters import EquipmentFilter
from inventory.models import Equipment
from repairs.filters import TicketFilter
from repairs.models import RepairTicket

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's; SQLite scans"),
]


def plan(queryset) -> str:
    """The plan PostgreSQL would choose were the table large (small test tables are cheaper to scan)."""
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_ticket_words_are_searched_through_the_trigram_indexes():
    searched = TicketFilter({"q": "卡纸"}, queryset=RepairTicket.objects.all()).qs
    explained = plan(searched)
    assert "repairs_repairticket_description_trgm" in explained
    assert "repairs_repairticket_device_description_trgm" in explained


def test_equipment_words_and_names_are_searched_through_the_trigram_indexes():
    explained = plan(EquipmentFilter({"q": "M437"}, queryset=Equipment.objects.all()).qs)
    for column in ("asset_no", "serial_no", "model_name", "brand", "ip_address"):
        assert f"inventory_equipment_{column}_trgm" in explained
    assert "accounts_user_full_name_trgm" in plan(User.objects.filter(full_name__icontains="王"))
