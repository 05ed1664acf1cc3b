"""Every lifecycle step: allowed, wrong state, wrong role; each writes one ledger entry."""

import pytest

from inventory import services
from inventory.models import Equipment, LedgerEntry
from portal.exceptions import ActionRefused
from tests.inventory.factories import EquipmentFactory, RackFactory, category

pytestmark = pytest.mark.django_db


def test_register_generates_asset_number_and_first_ledger_entry(officer):
    device = services.equipment_register(by=officer, category=category("printer"), brand="奔图", model_name="P3305DN")
    assert device.asset_no.startswith("ZC-") and device.status == Equipment.Status.IN_STOCK
    second = services.equipment_register(by=officer, category=category("pc"))
    assert second.asset_no != device.asset_no
    assert [e.kind for e in device.ledger.all()] == [LedgerEntry.Kind.REGISTER]


def test_register_refused_for_staff(make_user):
    with pytest.raises(ActionRefused):
        services.equipment_register(by=make_user("staff"), category=category("pc"))


def test_issue_moves_device_to_department_and_records_who_and_where(officer, device, department, make_user):
    nurse = make_user("staff")
    services.take_step(
        device, "issue", by=officer, department=department, custodian=nurse, room="护士站", comment="新入职"
    )
    device.refresh_from_db()
    assert device.status == "in_use" and device.department == department and device.custodian == nurse
    entry = device.ledger.get(kind=LedgerEntry.Kind.ISSUE)
    assert (entry.from_status, entry.to_status) == ("in_stock", "in_use")
    assert entry.from_department is None and entry.to_department == department
    assert entry.actor == officer and entry.reason == "新入职" and entry.to_location == "护士站"


def test_issue_wrong_state_is_refused_with_reason(officer, in_use, department):
    with pytest.raises(ActionRefused, match="在用|In service"):
        services.take_step(in_use, "issue", by=officer, department=department)
    assert not in_use.ledger.exists()


@pytest.mark.parametrize("role", ["staff", "dept_head", "auditor", "dba"])
def test_issue_wrong_role_is_refused(make_user, device, department, role):
    with pytest.raises(ActionRefused):
        services.take_step(device, "issue", by=make_user(role), department=department)
    device.refresh_from_db()
    assert device.status == "in_stock"


def test_transfer_between_departments(officer, in_use, other_department, department):
    services.take_step(in_use, "transfer", by=officer, department=other_department, comment="科室调整")
    entry = in_use.ledger.get()
    assert entry.from_department == department and entry.to_department == other_department
    with pytest.raises(ActionRefused):
        services.take_step(in_use, "transfer", by=officer, department=other_department)


def test_transfer_refused_for_device_in_stock(officer, device, department):
    with pytest.raises(ActionRefused):
        services.take_step(device, "transfer", by=officer, department=department)


def test_swap_is_one_step_old_back_new_out(officer, department, make_user):
    doctor = make_user("staff")
    rack = RackFactory()
    old = EquipmentFactory(
        status="in_use", department=department, custodian=doctor, room="诊室5", rack=rack, rack_unit=10
    )
    new = EquipmentFactory(status="spare")
    services.take_step(old, "swap", replacement=new, by=officer, comment="主板故障")
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == "in_stock" and old.department is None and old.rack is None
    assert new.status == "in_use" and new.department == department and new.custodian == doctor
    assert new.room == "诊室5" and new.rack == rack and new.rack_unit == 10
    assert old.ledger.get().related_equipment == new and new.ledger.get().related_equipment == old


def test_swap_refused_when_new_device_is_not_available(officer, department):
    old = EquipmentFactory(status="in_use", department=department)
    busy = EquipmentFactory(status="in_use", department=department)
    with pytest.raises(ActionRefused):
        services.take_step(old, "swap", replacement=busy, by=officer, comment="主板故障")
    old.refresh_from_db()
    assert old.status == "in_use", "the old device must not come back when the swap fails"


def test_swap_refused_for_staff(make_user, department):
    old = EquipmentFactory(status="in_use", department=department)
    with pytest.raises(ActionRefused):
        services.take_step(old, "swap", replacement=EquipmentFactory(), by=make_user("staff"), comment="主板故障")


def test_a_swap_without_its_reason_is_refused_by_the_service(officer, department):
    old = EquipmentFactory(status="in_use", department=department)
    new = EquipmentFactory(status="spare")
    with pytest.raises(ActionRefused, match="说明事由"):
        services.take_step(old, "swap", replacement=new, by=officer, comment="  ")
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status) == ("in_use", "spare")


@pytest.mark.parametrize("start", ["in_stock", "in_use", "spare"])
def test_repair_returns_device_to_its_previous_state(officer, department, start):
    device = EquipmentFactory(status=start, department=department if start == "in_use" else None)
    services.take_step(device, "send_to_repair", by=officer, comment="无法开机")
    device.refresh_from_db()
    assert device.status == "under_repair"
    services.take_step(device, "return_from_repair", by=officer, comment="更换电源")
    device.refresh_from_db()
    assert device.status == start
    assert [e.kind for e in device.ledger.all()] == ["send_to_repair", "return_from_repair"]


def test_repair_wrong_state_and_wrong_role(officer, make_user, device):
    with pytest.raises(ActionRefused):
        services.take_step(device, "return_from_repair", by=officer, comment="x")
    with pytest.raises(ActionRefused):
        services.take_step(device, "send_to_repair", by=make_user("staff"), comment="x")
    on_loan = EquipmentFactory(status="on_loan")
    with pytest.raises(ActionRefused):
        services.take_step(on_loan, "send_to_repair", by=officer, comment="x")


def test_scrap_needs_it_head_approval_and_is_final(officer, head, in_use):
    services.take_step(in_use, "request_scrap", by=officer, comment="超过使用年限")
    in_use.refresh_from_db()
    assert in_use.status == "pending_scrap"
    with pytest.raises(ActionRefused):
        services.take_step(in_use, "approve_scrap", by=officer)
    services.take_step(in_use, "approve_scrap", by=head)
    in_use.refresh_from_db()
    assert in_use.status == "scrapped"
    for step in ("issue", "install"):
        with pytest.raises(ActionRefused):
            services.take_step(in_use, step, by=officer, department=in_use.department)
    with pytest.raises(ActionRefused):
        services.take_step(in_use, "send_to_repair", by=officer, comment="x")
    assert [e.kind for e in in_use.ledger.all()] == ["request_scrap", "approve_scrap"]


def test_it_head_cannot_approve_own_scrap_request(head, device):
    services.take_step(device, "request_scrap", by=head, comment="损坏")
    with pytest.raises(ActionRefused, match="yourself|本人|自己"):
        services.take_step(device, "approve_scrap", by=head)


def test_rejected_scrap_returns_to_previous_state(officer, head, in_use):
    services.take_step(in_use, "request_scrap", by=officer, comment="老化")
    with pytest.raises(ActionRefused):
        services.take_step(in_use, "reject_scrap", by=head, comment="")
    services.take_step(in_use, "reject_scrap", by=head, comment="仍可使用")
    in_use.refresh_from_db()
    assert in_use.status == "in_use" and in_use.scrap_requested_by is None


def test_scrap_request_needs_reason_and_role(officer, make_user, device):
    with pytest.raises(ActionRefused):
        services.take_step(device, "request_scrap", by=officer, comment="")
    with pytest.raises(ActionRefused):
        services.take_step(device, "request_scrap", by=make_user("staff"), comment="坏了")


def test_spare_pool_in_and_out(officer, device):
    services.take_step(device, "make_spare", by=officer)
    device.refresh_from_db()
    assert device.status == "spare"
    services.take_step(device, "withdraw_spare", by=officer)
    device.refresh_from_db()
    assert device.status == "in_stock"
    with pytest.raises(ActionRefused):
        services.take_step(device, "withdraw_spare", by=officer)


def test_in_warranty(device):
    import datetime

    device.warranty_end = datetime.date.today() + datetime.timedelta(days=3)
    assert device.in_warranty
    device.warranty_end = datetime.date(2020, 1, 1)
    assert not device.in_warranty


def test_equipment_in_custody_excludes_scrapped(make_user, department):
    from inventory.selectors import equipment_in_custody

    keeper = make_user("it_officer")
    kept = EquipmentFactory(status="in_use", department=department, custodian=keeper)
    EquipmentFactory(status="scrapped", custodian=keeper)
    EquipmentFactory(status="in_use", department=department)
    assert list(equipment_in_custody(keeper)) == [kept]
