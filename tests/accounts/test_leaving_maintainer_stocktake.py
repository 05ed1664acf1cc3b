"""A leaving IT maintainer's equipment register is counted item by item: the line closes only with nothing missing."""

from django.utils import timezone

from accounts import services
from accounts.models import Departure
from inventory import services as inventory
from tests.inventory.factories import EquipmentFactory


def _stocktake_line(departure):
    return [line for line in services.departure_open_lines(departure) if line.kind == "stocktake"]


def test_a_custody_stocktake_with_an_item_missing_keeps_the_line_open(people):
    leaver = people.officer2
    kept = [EquipmentFactory(status="in_use", custodian=leaver, department=leaver.department) for _ in range(2)]
    departure = services.departure_open(
        by=people.hr, user=leaver, kind=Departure.Kind.DEPARTURE, last_day=timezone.localdate()
    )
    assert _stocktake_line(departure)

    partial = inventory.stocktake_open(scope="custodian", custodian=leaver, by=people.officer)
    inventory.stocktake_count(stocktake=partial, asset_no=kept[0].asset_no, by=people.officer)
    inventory.take_step(partial, "close", by=people.officer)
    partial.refresh_from_db()
    assert partial.missing_count == 1
    assert _stocktake_line(departure), "a count with a device missing does not close the line"

    complete = inventory.stocktake_open(scope="custodian", custodian=leaver, by=people.officer)
    for device in kept:
        inventory.stocktake_count(stocktake=complete, asset_no=device.asset_no, by=people.officer)
    inventory.take_step(complete, "close", by=people.officer)
    assert _stocktake_line(departure) == []
