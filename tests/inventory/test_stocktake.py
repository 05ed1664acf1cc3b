"""Stocktake: freeze the book, count by scan or typing, close with discrepancies and a match rate."""

import re

import pytest

from inventory import services
from inventory.models import Stocktake, StocktakeItem
from portal.exceptions import ActionRefused
from tests.inventory.factories import EquipmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward(department):
    return [
        EquipmentFactory(status="in_use", department=department, asset_no=f"ZC-2025-10000{n}", room="护士站")
        for n in range(1, 5)
    ]


def test_open_freezes_the_expected_list(officer, department, ward):
    EquipmentFactory(status="scrapped", department=department)
    stocktake = services.stocktake_open(scope=Stocktake.Scope.DEPARTMENT, department=department, by=officer)
    assert stocktake.expected_count == 4 and stocktake.number.startswith("PD-")
    EquipmentFactory(status="in_use", department=department)
    assert stocktake.items.count() == 4


def test_full_stocktake_with_discrepancy_report(officer, department, other_department, ward):
    stranger = EquipmentFactory(status="in_use", department=other_department, asset_no="ZC-2025-200001")
    stocktake = services.stocktake_open(scope=Stocktake.Scope.DEPARTMENT, department=department, by=officer)
    scanned = f"http://127.0.0.1:8000/inventory/equipment/asset/{ward[0].asset_no}/"
    assert services.stocktake_count(stocktake=stocktake, asset_no=scanned, by=officer).result == "matched"
    assert (
        services.stocktake_count(
            stocktake=stocktake, asset_no=ward[1].asset_no.lower(), by=officer, found_location="护士站"
        ).result
        == "matched"
    )
    assert (
        services.stocktake_count(
            stocktake=stocktake, asset_no=ward[2].asset_no, by=officer, found_location="库房"
        ).result
        == "misplaced"
    )
    assert services.stocktake_count(stocktake=stocktake, asset_no=stranger.asset_no, by=officer).result == "unexpected"
    assert services.stocktake_count(stocktake=stocktake, asset_no="ZC-1999-000001", by=officer).result == "unknown"
    closed = services.take_step(stocktake, "close", by=officer, apply_corrections=True)
    assert closed.state == "closed"
    assert (closed.matched_count, closed.misplaced_count, closed.missing_count, closed.unexpected_count) == (2, 1, 1, 2)
    assert float(closed.match_rate) == 50.0
    assert stocktake.items.get(asset_no=ward[3].asset_no).result == StocktakeItem.Result.MISSING
    ward[2].refresh_from_db()
    assert ward[2].room == "库房" and ward[2].ledger.get().kind == "stocktake_correction"
    with pytest.raises(ActionRefused):
        services.stocktake_count(stocktake=stocktake, asset_no=ward[3].asset_no, by=officer)
    with pytest.raises(ActionRefused):
        services.take_step(closed, "close", by=officer)


def test_close_without_corrections_leaves_locations(officer, department, ward):
    stocktake = services.stocktake_open(scope=Stocktake.Scope.DEPARTMENT, department=department, by=officer)
    services.stocktake_count(stocktake=stocktake, asset_no=ward[0].asset_no, by=officer, found_location="库房")
    services.take_step(stocktake, "close", by=officer)
    ward[0].refresh_from_db()
    assert ward[0].room == "护士站"


def test_custodian_scope_counts_a_leaving_maintainers_register(officer, make_user, department):
    keeper = make_user("it_officer")
    kept = [EquipmentFactory(status="in_use", department=department, custodian=keeper) for _ in range(3)]
    EquipmentFactory(status="in_use", department=department)
    stocktake = services.stocktake_open(scope=Stocktake.Scope.CUSTODIAN, custodian=keeper, by=officer)
    assert stocktake.expected_count == 3
    for device in kept:
        services.stocktake_count(stocktake=stocktake, asset_no=device.asset_no, by=officer)
    closed = services.take_step(stocktake, "close", by=officer)
    assert closed.missing_count == 0 and float(closed.match_rate) == 100.0


def test_location_scope(officer, department):
    EquipmentFactory(status="in_use", department=department, building="医技楼", floor="2F")
    EquipmentFactory(status="in_use", department=department, building="医技楼", floor="3F")
    EquipmentFactory(status="in_use", department=department, building="门诊楼", floor="2F")
    assert services.stocktake_open(scope="location", building="医技楼", by=officer).expected_count == 2
    assert services.stocktake_open(scope="location", building="医技楼", floor="2F", by=officer).expected_count == 1
    assert services.stocktake_open(scope="all", by=officer).expected_count == 3
    with pytest.raises(ActionRefused):
        services.stocktake_open(scope="location", by=officer)
    with pytest.raises(ActionRefused):
        services.stocktake_open(scope="department", by=officer)


def test_department_head_confirms_own_department_only(officer, make_user, department, other_department, ward):
    own = services.stocktake_open(scope="department", department=department, by=officer)
    other = services.stocktake_open(scope="department", department=other_department, by=officer)
    chief = make_user("dept_head", department=department)
    assert services.stocktake_count(stocktake=own, asset_no=ward[0].asset_no, by=chief).counted_by == chief
    with pytest.raises(ActionRefused):
        services.stocktake_count(stocktake=other, asset_no=ward[0].asset_no, by=chief)
    with pytest.raises(ActionRefused):
        services.stocktake_count(stocktake=own, asset_no=ward[1].asset_no, by=make_user("staff"))
    with pytest.raises(ActionRefused):
        services.stocktake_open(scope="department", department=department, by=chief)
    with pytest.raises(ActionRefused):
        services.take_step(own, "close", by=chief)


def test_counting_an_item_again_asks_before_replacing_the_earlier_count(officer, department, ward):
    stocktake = services.stocktake_open(scope=Stocktake.Scope.DEPARTMENT, department=department, by=officer)
    services.stocktake_count(stocktake=stocktake, asset_no=ward[0].asset_no, by=officer)
    with pytest.raises(services.AlreadyCounted) as refused:
        services.stocktake_count(stocktake=stocktake, asset_no=ward[0].asset_no, by=officer, found_location="库房")
    assert ward[0].asset_no in refused.value.message and "账物相符" in refused.value.message
    item = stocktake.items.get(asset_no=ward[0].asset_no)
    assert item.result == StocktakeItem.Result.MATCHED and item.found_location == ""
    services.stocktake_count(
        stocktake=stocktake, asset_no=ward[0].asset_no, by=officer, found_location="库房", recount=True
    )
    item.refresh_from_db()
    assert item.result == StocktakeItem.Result.MISPLACED and item.found_location == "库房"


def _room_input(html):
    return re.search(r'<input[^>]*name="found_location"[^>]*>', html).group(0)


def test_scan_page_clears_the_room_and_confirms_a_second_scan(client, officer, department, ward):
    stocktake = services.stocktake_open(scope=Stocktake.Scope.DEPARTMENT, department=department, by=officer)
    url = f"/inventory/stocktakes/{stocktake.pk}/scan/"
    client.force_login(officer)
    response = client.post(url, {"asset_no": ward[0].asset_no, "found_location": "库房"})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert f"{ward[0].asset_no}: 位置不符" in page
    assert "value=" not in _room_input(page)
    assert 'type="checkbox" name="recount"' not in page
    # The next device is where the book says: the empty room makes it a match.
    client.post(url, {"asset_no": ward[1].asset_no})
    assert stocktake.items.get(asset_no=ward[1].asset_no).result == StocktakeItem.Result.MATCHED
    response = client.post(url, {"asset_no": ward[0].asset_no})
    page = response.content.decode()
    assert response.status_code == 200 and "已于" in page and "重新盘点" in page
    assert re.search(r'<input type="checkbox" name="recount"', page)
    assert stocktake.items.get(asset_no=ward[0].asset_no).result == StocktakeItem.Result.MISPLACED
    response = client.post(url, {"asset_no": ward[0].asset_no, "recount": "on"})
    assert response.status_code == 302
    assert stocktake.items.get(asset_no=ward[0].asset_no).result == StocktakeItem.Result.MATCHED
