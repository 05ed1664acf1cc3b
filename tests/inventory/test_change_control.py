"""Change control and rack positions (中心机房管理制度 一 4, 三 5; 设备管理制度 1–2)."""

import pytest

from inventory import services
from inventory.models import ConfigChange
from inventory.selectors import awaiting
from portal.exceptions import ActionRefused
from tests.inventory.factories import EquipmentFactory, RackFactory, category

pytestmark = pytest.mark.django_db


def _record(device, kind, by):
    return services.config_change_record(equipment=device, kind=kind, description="变更内容", reason="理由", by=by)


@pytest.mark.parametrize("code", ["router", "firewall"])
def test_a_network_device_parameter_change_waits_for_the_it_head(officer, head, code):
    device = EquipmentFactory(status="in_use", category=category(code))
    change = _record(device, "parameter", officer)
    assert change.state == ConfigChange.State.PENDING_APPROVAL and not device.ledger.exists()
    services.take_step(change, "approve", by=head)
    change.refresh_from_db()
    assert change.state == ConfigChange.State.DONE and device.ledger.get().kind == "config_change"


def test_a_core_switch_in_a_machine_room_rack_waits_an_access_switch_on_a_ward_does_not(officer):
    core = EquipmentFactory(status="in_use", category=category("switch"), rack=RackFactory(), rack_unit=8)
    ward = EquipmentFactory(status="in_use", category=category("switch"))
    assert _record(core, "parameter", officer).state == ConfigChange.State.PENDING_APPROVAL
    assert _record(ward, "parameter", officer).state == ConfigChange.State.DONE


def test_a_server_part_change_waits_for_the_leader_and_the_it_head_cannot_approve_it(
    client, officer, head, make_user, django_capture_on_commit_callbacks
):
    leader = make_user("leader")
    server = EquipmentFactory(status="in_use", category=category("server"))
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/inventory/equipment/{server.pk}/changes/new/",
            {"kind": "part", "description": "更换电源模块", "reason": "告警", "performed_at": "2026-03-01T10:00"},
            follow=True,
        )
    assert "分管领导" in response.content.decode()
    change = ConfigChange.objects.get()
    assert change.state == ConfigChange.State.PENDING_LEADER and not server.ledger.exists()
    assert leader.notifications.filter(url=change.get_absolute_url()).exists()

    with pytest.raises(ActionRefused, match="分管领导"):
        services.take_step(change, "approve", by=head)

    client.force_login(leader)
    assert [(a.label, a.count) for a in awaiting(leader) if a.count] == [("待审批的服务器部件更换", 1)]
    assert client.get(f"/inventory/changes/{change.pk}/").status_code == 200
    client.post(f"/inventory/changes/{change.pk}/approve/")
    change.refresh_from_db()
    assert change.state == ConfigChange.State.DONE and change.approver == leader
    assert server.ledger.get().kind == "config_change"


def test_the_leader_cannot_decide_a_parameter_change(officer, make_user):
    server = EquipmentFactory(status="in_use", category=category("server"))
    change = _record(server, "parameter", officer)
    with pytest.raises(ActionRefused, match="信息科负责人"):
        services.take_step(change, "reject", by=make_user("leader"), comment="不同意")


def test_installing_in_a_machine_room_needs_the_rack_position(officer, it_department):
    rack = RackFactory(room="中心机房")
    server = EquipmentFactory(category=category("server"))
    with pytest.raises(ActionRefused, match="机架位置"):
        services.take_step(server, "install", by=officer, department=it_department, room="中心机房")
    with pytest.raises(ActionRefused, match="机架位置"):
        services.take_step(server, "issue", by=officer, department=it_department, room="中心机房")
    services.take_step(server, "install", by=officer, department=it_department, rack=rack, rack_unit=4)
    server.refresh_from_db()
    assert (server.room, server.rack, server.rack_unit) == ("中心机房", rack, 4)


def test_a_device_installed_outside_a_machine_room_needs_no_rack(officer, it_department):
    RackFactory(room="中心机房")
    printer = EquipmentFactory(category=category("printer"))
    services.take_step(printer, "install", by=officer, department=it_department, room="302诊室")
    printer.refresh_from_db()
    assert printer.status == "in_use" and printer.rack is None
