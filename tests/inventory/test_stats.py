import datetime

import pytest
from django.utils import timezone

from inventory import services, stats
from tests.inventory.factories import EquipmentFactory, category

pytestmark = pytest.mark.django_db


def test_stats_for_reports(officer, head, department, other_department):
    today = timezone.localdate()
    year_start = today.replace(month=1, day=1)
    for _ in range(3):
        services.equipment_register(by=officer, category=category("pc"), department=department)
    services.equipment_register(by=officer, category=category("printer"), department=other_department)
    old = EquipmentFactory(status="in_use", department=department, category=category("printer"), price=1000)
    services.take_step(old, "request_scrap", by=officer, comment="老化")
    services.take_step(old, "approve_scrap", by=head)
    spare = EquipmentFactory(status="spare")
    loan = services.spare_loan_create(spare=spare, department=department, by=officer, expected_return=today)
    stocktake = services.stocktake_open(scope="department", department=department, by=officer)
    first = stocktake.items.first()
    services.stocktake_count(stocktake=stocktake, asset_no=first.asset_no, by=officer)
    services.take_step(stocktake, "close", by=officer)

    assert stats.devices_by_status(year_start, today) == {"in_stock": 4, "scrapped": 1, "on_loan": 1}
    by_category = {row["category"]: row["count"] for row in stats.devices_by_category(year_start, today)}
    assert by_category["台式电脑"] == 4 and by_category["打印机"] == 1
    by_department = {row["department"]: row["count"] for row in stats.devices_by_department(year_start, today)}
    assert by_department["内科"] == 3 and by_department["外科"] == 1
    assert stats.added_and_scrapped(year_start, today) == {"added": 4, "scrapped": 1}
    assert stats.added_and_scrapped(year_start, today, department=other_department) == {"added": 1, "scrapped": 0}
    rate = stats.stocktake_match_rate(year_start, today)
    assert rate["stocktakes"] == 1 and rate["expected"] == 3 and rate["matched"] == 1 and rate["match_rate"] == 33.3
    assert stats.spare_loans(year_start, today) == {"lent": 1, "out": 1, "overdue": 0}
    from inventory.models import SpareLoan

    SpareLoan.objects.filter(pk=loan.pk).update(expected_return=today - datetime.timedelta(days=1))
    assert stats.spare_loans(year_start, today)["overdue"] == 1
    last_year = year_start.replace(year=year_start.year - 1)
    assert stats.added_and_scrapped(last_year, last_year) == {"added": 0, "scrapped": 0}
