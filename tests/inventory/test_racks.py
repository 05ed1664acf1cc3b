"""Rack positions: no two devices overlap, also when two people install at the same moment."""

import threading

import pytest
from django.db import connection

from inventory import services
from inventory.models import Equipment
from portal.exceptions import ActionRefused
from tests.inventory.factories import EquipmentFactory, RackFactory


@pytest.mark.django_db
def test_install_in_rack_records_position(officer, it_department):
    rack = RackFactory(height_u=42)
    server = EquipmentFactory(height_u=2)
    services.take_step(server, "install", by=officer, department=it_department, rack=rack, rack_unit=10)
    server.refresh_from_db()
    assert server.status == "in_use" and (server.rack, server.rack_unit) == (rack, 10)
    assert server.rack_position == f"{rack} U10-U11"
    assert "U10-U11" in server.ledger.get().to_location


@pytest.mark.django_db
@pytest.mark.parametrize("start,height", [(11, 1), (9, 2), (5, 10), (11, 3)])
def test_overlapping_positions_are_refused(officer, it_department, start, height):
    rack = RackFactory()
    EquipmentFactory(status="in_use", department=it_department, rack=rack, rack_unit=10, height_u=2)
    newcomer = EquipmentFactory(height_u=height)
    with pytest.raises(ActionRefused, match="U"):
        services.take_step(newcomer, "install", by=officer, department=it_department, rack=rack, rack_unit=start)
    newcomer.refresh_from_db()
    assert newcomer.rack is None and newcomer.status == "in_stock"


@pytest.mark.django_db
def test_adjacent_positions_and_rack_bounds(officer, it_department):
    rack = RackFactory(height_u=12)
    EquipmentFactory(status="in_use", department=it_department, rack=rack, rack_unit=10, height_u=2)
    below = EquipmentFactory(height_u=2)
    services.take_step(below, "install", by=officer, department=it_department, rack=rack, rack_unit=8)
    above = EquipmentFactory(height_u=2)
    with pytest.raises(ActionRefused):
        services.take_step(above, "install", by=officer, department=it_department, rack=rack, rack_unit=12)
    services.take_step(above, "install", by=officer, department=it_department, rack=rack, rack_unit=12, height_u=1)
    assert Equipment.objects.filter(rack=rack).count() == 3


@pytest.mark.django_db
def test_moving_a_device_within_its_rack_ignores_itself(officer, it_department):
    rack = RackFactory()
    server = EquipmentFactory(status="in_use", department=it_department, rack=rack, rack_unit=10, height_u=2)
    services.take_step(server, "install", by=officer, rack=rack, rack_unit=11)
    server.refresh_from_db()
    assert server.rack_unit == 11


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_installs_into_the_same_units_only_one_succeeds(officer, it_department):
    rack = RackFactory()
    first, second = EquipmentFactory(height_u=2), EquipmentFactory(height_u=2)
    barrier = threading.Barrier(2)
    outcomes = []

    def install(device, unit):
        try:
            barrier.wait()
            services.take_step(device, "install", by=officer, department=it_department, rack=rack, rack_unit=unit)
            outcomes.append("ok")
        except ActionRefused as refused:
            outcomes.append(str(refused))
        finally:
            connection.close()

    threads = [threading.Thread(target=install, args=(first, 20)), threading.Thread(target=install, args=(second, 21))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1, outcomes
    mounted = list(Equipment.objects.filter(rack=rack))
    assert len(mounted) == 1


@pytest.mark.django_db
def test_rack_elevation_page_draws_devices_from_the_data(client, officer, it_department):
    rack = RackFactory(height_u=10)
    EquipmentFactory(
        status="in_use", department=it_department, rack=rack, rack_unit=3, height_u=2, asset_no="ZC-2025-777001"
    )
    client.force_login(officer)
    response = client.get(f"/inventory/racks/{rack.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'rowspan="2"' in html and "ZC-2025-777001" in html
    assert html.count('class="u"') == 10
    assert "2 of 10 U" in html or "已用 2" in html or "2 / 10" in html
