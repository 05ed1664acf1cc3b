"""The repair rules of the hospital's policies that issue 15 lists, each tested without HTTP:
the department's confirmation (000 硬件设备维修制度 3), the spare machine (5–6), the warranty's path (3),
the manual-fallback milestones (001 八(五)2) and the medical-insurance faults (001 八(四))."""

import datetime

import pytest
import time_machine
from django.utils import translation

from inventory.models import Equipment, LedgerEntry
from portal.exceptions import ActionRefused
from portal.models import Notification
from portal.workflow import available_actions
from repairs import report, services, stats
from repairs.models import RepairSettings, RepairTicket, TicketNotice
from tests.factories import DepartmentFactory
from tests.inventory.factories import EquipmentFactory

from .conftest import act, file_class_1, file_ticket, to_on_site, to_repaired

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def titles(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def lend(ticket, spare, officer):
    return services.ticket_lend_spare(ticket=ticket, spare=spare, expected_return=START.date(), by=officer)


# 1. A repaired ticket closes only with the department's confirmation.


def test_no_transition_closes_a_repaired_ticket_by_itself(ticket, officer):
    ticket = to_repaired(ticket, officer)
    assert not hasattr(RepairTicket, "auto_close")
    assert not hasattr(services, "auto_close_repaired")
    assert [action.name for action in available_actions(ticket, officer)] == []


def test_unconfirmed_repair_reminds_the_reporter_then_tells_the_department_head(staff, dept_head, officer, department):
    settings_row = RepairSettings.current()
    settings_row.confirm_reminder_days, settings_row.confirm_escalation_days = 3, 5
    settings_row.save()
    with time_machine.travel(START, tick=False) as clock:
        ticket = to_repaired(file_ticket(staff, department), officer)
        reminder = f"{ticket.number} was repaired 3 days ago and waits for your confirmation"
        clock.shift(datetime.timedelta(days=2, hours=23))
        assert services.remind_unconfirmed_repairs() == 0
        clock.shift(datetime.timedelta(hours=2))
        assert services.remind_unconfirmed_repairs() == 1
        assert services.remind_unconfirmed_repairs() == 0, "a re-run sends nothing twice"
        assert titles(staff).count(reminder) == 1
        assert not any("still not confirmed" in title for title in titles(dept_head))
        clock.shift(datetime.timedelta(days=2))
        assert services.remind_unconfirmed_repairs() == 1
        assert services.remind_unconfirmed_repairs() == 0
    assert titles(dept_head).count(f"{ticket.number} of your department is still not confirmed after 5 days") == 1
    assert titles(staff).count(reminder) == 1
    ticket.refresh_from_db()
    assert ticket.state == "repaired", "a reminder never closes the ticket"
    assert list(ticket.notices.values_list("kind", flat=True)) == ["confirm_reminder", "confirm_escalation"]


def test_only_the_it_head_closes_without_confirmation_and_gives_the_reason(ticket, officer, it_head, staff):
    ticket = to_repaired(ticket, officer)
    with pytest.raises(ActionRefused, match="IT head|信息科主任"):
        act(ticket, "close_unconfirmed", officer, comment="科室未确认")
    with pytest.raises(ActionRefused, match=r"Hardware Repair Rules \(item 3\).*IT head's reason"):
        act(ticket, "close_unconfirmed", it_head, comment="  ")
    assert RepairTicket.objects.get(pk=ticket.pk).state == "repaired"
    ticket = act(ticket, "close_unconfirmed", it_head, comment="多次提醒未确认，电话回访正常")
    assert ticket.state == "closed" and ticket.closed_unconfirmed
    assert ticket.closed_unconfirmed_reason == "多次提醒未确认，电话回访正常"
    with pytest.raises(ActionRefused, match="status"):
        act(ticket, "confirm", staff, satisfaction=5)


def test_the_report_counts_tickets_closed_without_confirmation_apart(staff, dept_head, officer, it_head, department):
    with time_machine.travel(START, tick=False):
        confirmed = act(to_repaired(file_ticket(staff, department), officer), "confirm", dept_head, satisfaction=5)
        act(confirmed, "close", officer)
        unconfirmed = to_repaired(file_ticket(staff, department), officer)
        act(unconfirmed, "close_unconfirmed", it_head, comment="科室撤并，无人确认")
    month = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    assert stats.closed_unconfirmed(*month)["count"] == 1
    built = report.section(*month)
    kpi = next(kpi for kpi in built.kpis if kpi.label == "Closed without the department's confirmation")
    assert kpi.value == 1
    rows = built.table("unconfirmed").rows
    assert rows == [[unconfirmed.number, department.name, "2026-03-02", "科室撤并，无人确认"]]
    assert stats.closed_unconfirmed(datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))["count"] == 0


# 2. The spare machine comes back, or stays as a swap on the ledger, before the ticket closes.


def test_no_close_while_the_spare_is_out(ticket, officer, it_head, spare):
    ticket = lend(to_on_site(ticket, officer), spare, officer)
    ticket = act(ticket, "repair", officer, cause="x", action_taken="y")
    with pytest.raises(ActionRefused, match="spare machine comes back"):
        act(ticket, "close_unconfirmed", it_head, comment="科室未确认")
    assert "close_unconfirmed" not in [action.name for action in available_actions(ticket, it_head)]


def test_the_spare_kept_is_a_swap_on_the_ledger_and_lets_the_ticket_close(ticket, officer, it_head, spare, device):
    ticket = lend(to_on_site(ticket, officer), spare, officer)
    ticket = act(ticket, "repair", officer, cause="主板老化", action_taken="暂用备用机")
    with pytest.raises(ActionRefused, match="reason"):
        services.ticket_keep_spare(ticket=ticket, by=officer, reason=" ")
    ticket = services.ticket_keep_spare(ticket=ticket, by=officer, reason="原机主板老化，备用机留用")
    assert ticket.spare_kept and ticket.spare_out is None
    device.refresh_from_db()
    spare.refresh_from_db()
    assert device.status == Equipment.Status.IN_STOCK and device.department is None
    assert spare.status == Equipment.Status.IN_USE and spare.department == ticket.department
    assert device.ledger.filter(kind=LedgerEntry.Kind.SWAP_OUT, reason="原机主板老化，备用机留用").exists()
    assert spare.ledger.filter(kind=LedgerEntry.Kind.SWAP_IN).exists()
    assert act(ticket, "close_unconfirmed", it_head, comment="科室同意留用").state == "closed"


def test_keeping_the_spare_is_it_work_and_needs_a_device_in_service(ticket, staff, officer, spare):
    ticket = lend(to_on_site(ticket, officer), spare, officer)
    with pytest.raises(ActionRefused, match="Only IT"):
        services.ticket_keep_spare(ticket=ticket, by=staff, reason="留用")
    with pytest.raises(ActionRefused, match="not in service"):
        services.ticket_keep_spare(ticket=ticket, by=officer, reason="留用")  # the device is under repair
    assert RepairTicket.objects.get(pk=ticket.pk).spare_out is not None


# 3. The warranty decides the path.


@pytest.fixture
def in_warranty(department):
    return EquipmentFactory(status="in_use", department=department, warranty_end=datetime.date(2027, 12, 31))


def parts(ticket, by, **extra):
    lines = [{"part": "内存条", "quantity": 1, "unit_cost": 100}]
    return services.ticket_wait_parts(ticket=ticket, by=by, lines=lines, **extra)


def test_in_warranty_goes_to_the_vendor_and_parts_need_the_it_heads_reason(
    staff, department, in_warranty, officer, it_head
):
    ticket = to_on_site(file_ticket(staff, department, equipment=in_warranty, device_description=""), officer)
    assert "wait_parts" not in [action.name for action in available_actions(ticket, officer)]
    with pytest.raises(
        ActionRefused, match=r"Hardware Repair Rules \(item 3\) a device in warranty goes to the vendor"
    ):
        parts(ticket, officer, override_reason="厂家太慢")
    with pytest.raises(ActionRefused, match="in warranty goes to the vendor"):
        parts(ticket, it_head)
    ticket = parts(ticket, it_head, override_reason="厂家停产该型号，自行更换")
    assert ticket.state == "waiting_parts"
    assert ticket.path_override_reason == "厂家停产该型号，自行更换" and ticket.path_override_by == it_head
    other = to_on_site(file_ticket(staff, department, device_description="另一台"), officer)
    assert act(other, "wait_vendor", officer, vendor="厂家").state == "waiting_vendor", "no ledger device: no rule"


def test_fitting_parts_to_an_in_warranty_device_on_site_is_the_parts_path_too(
    staff, department, in_warranty, officer, it_head
):
    ticket = to_on_site(file_ticket(staff, department, equipment=in_warranty, device_description=""), officer)
    with pytest.raises(ActionRefused, match="in warranty goes to the vendor"):
        act(ticket, "repair", officer, cause="硬盘坏", action_taken="更换硬盘", parts_used="硬盘")
    with pytest.raises(ActionRefused, match="in warranty goes to the vendor"):
        act(
            ticket,
            "repair",
            officer,
            cause="硬盘坏",
            action_taken="更换硬盘",
            parts_used="硬盘",
            override_reason="急用",
        )
    assert act(ticket, "repair", officer, cause="驱动", action_taken="重装驱动").state == "repaired", (
        "no parts: no rule"
    )
    other = to_on_site(file_ticket(staff, department, device_description="x"), officer)
    assert act(other, "repair", officer, cause="x", action_taken="y", parts_used="内存").state == "repaired"


def test_the_it_head_may_fit_parts_to_an_in_warranty_device_with_a_reason(staff, department, in_warranty, it_head):
    ticket = to_on_site(file_ticket(staff, department, equipment=in_warranty, device_description=""), it_head)
    ticket = act(
        ticket,
        "repair",
        it_head,
        cause="硬盘坏",
        action_taken="更换硬盘",
        parts_used="硬盘",
        override_reason="厂家停产",
    )
    assert ticket.state == "repaired" and ticket.path_override_reason == "厂家停产"


def test_out_of_warranty_takes_parts_and_the_vendor_needs_the_it_heads_reason(ticket, officer, it_head):
    ticket = to_on_site(ticket, officer)  # the device's warranty ended in 2020
    with pytest.raises(ActionRefused, match="out of warranty is repaired with parts"):
        act(ticket, "wait_vendor", officer, vendor="联想服务站")
    with pytest.raises(ActionRefused, match="out of warranty is repaired with parts"):
        act(ticket, "wait_vendor", it_head, vendor="联想服务站")
    ticket = act(ticket, "wait_vendor", it_head, vendor="联想服务站", override_reason="延保服务仍有效")
    assert ticket.state == "waiting_vendor" and ticket.path_override_by == it_head
    ticket = act(ticket, "resume", officer)
    assert act(ticket, "repair", officer, cause="x", action_taken="y").state == "repaired"


def test_an_out_of_warranty_device_takes_parts_without_override(ticket, officer):
    ticket = parts(to_on_site(ticket, officer), officer)
    assert ticket.state == "waiting_parts" and ticket.path_override_reason == ""


# 4. The manual-fallback milestones of a class 1 fault are told, once each.


def test_class_1_milestones_tell_the_departments_it_head_and_leaders_once(
    make_user, department, officer, it_head, leader, dept_head
):
    pharmacy = DepartmentFactory(code="YJK", name="药剂科")
    pharmacist = make_user("staff", department=pharmacy, username="pharmacist")
    wards = DepartmentFactory(code="HLB", name="护理部")
    nurse = make_user("staff", department=wards, username="nurse")
    settings_row = RepairSettings.current()
    settings_row.fallback_30m_departments.set([pharmacy])
    settings_row.fallback_6h_departments.set([wards])
    with time_machine.travel(START, tick=False) as clock:
        ticket = file_class_1(officer, department)
        clock.shift(datetime.timedelta(minutes=29))
        assert services.announce_fallback_milestones() == 0
        clock.shift(datetime.timedelta(minutes=2))
        assert services.announce_fallback_milestones() == 1
        assert services.announce_fallback_milestones() == 0, "a re-run sends nothing twice"
        first = f"Class 1 fault {ticket.number} Not restored within 30 minutes: "
        for person in (dept_head, pharmacist, it_head, leader):
            assert sum(title.startswith(first) for title in titles(person)) == 1, person
        assert not any(ticket.number in title and "30 minutes" in title for title in titles(nurse))
        clock.shift(datetime.timedelta(hours=6))
        assert services.announce_fallback_milestones() == 1
        assert any("6 hours" in title for title in titles(nurse))
        to_repaired(ticket, officer)
        clock.shift(datetime.timedelta(days=1))
        assert services.announce_fallback_milestones() == 0, "a repaired fault is not told of again"
    kinds = list(TicketNotice.objects.filter(ticket=ticket).values_list("kind", flat=True))
    assert kinds == ["fallback_30m", "fallback_6h"]


def test_a_class_2_fault_has_no_milestones(staff, department, officer):
    with time_machine.travel(START, tick=False) as clock:
        file_ticket(staff, department)
        clock.shift(datetime.timedelta(days=2))
        assert services.announce_fallback_milestones() == 0


# 5. Medical-insurance faults go to the coordinating departments.


@pytest.fixture
def finance(make_user):
    office = DepartmentFactory(code="CWK", name="财务科")
    RepairSettings.current().insurance_departments.set([office])
    return make_user("staff", department=office, username="cashier")


def test_an_insurance_line_fault_is_routed_and_followed(staff, department, finance, officer):
    ticket = file_ticket(
        staff, department, category="insurance_line", device_description="医保专线", description="医保结算超时"
    )
    assert ticket.fault_class == "other" and ticket.is_insurance_fault
    assert any(ticket.number in title and "coordinate" in title for title in titles(finance))
    assert RepairTicket.objects.visible_to(finance).filter(pk=ticket.pk).exists()
    act(ticket, "dispatch", officer, assignee=officer)
    assert f"Repair ticket {ticket.number}: Dispatched" in titles(finance)


def test_coordinating_departments_read_only_insurance_faults(staff, department, finance, officer):
    printer = file_ticket(staff, department)
    assert not RepairTicket.objects.visible_to(finance).filter(pk=printer.pk).exists()
    act(printer, "reclassify", officer, fault_class="other", comment="医保端故障")
    assert RepairTicket.objects.visible_to(finance).filter(pk=printer.pk).exists()
    assert any(printer.number in title and "coordinate" in title for title in titles(finance))
