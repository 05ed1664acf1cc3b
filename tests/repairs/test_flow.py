import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone, translation

from inventory.models import Equipment, SpareLoan
from portal.exceptions import ActionRefused
from portal.models import Notification, TransitionLog
from repairs import services
from repairs.models import Escalation, RepairTicket

from .conftest import act, file_class_1, file_ticket, to_on_site, to_repaired

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def _english():
    """The refusals are matched by their English msgids."""
    with translation.override("en"):
        yield


def titles(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_filing_numbers_the_ticket_and_tells_it(staff, department, device, officer):
    ticket = services.ticket_file(
        by=staff, department=department, contact_phone="81234", equipment=device, category="printer", description="卡纸"
    )
    assert ticket.number.startswith(f"BX-{timezone.localdate().year}-")
    assert ticket.state == RepairTicket.State.SUBMITTED
    assert ticket.fault_class == "2"
    assert ticket.location == device.location
    assert any(ticket.number in title for title in titles(officer))


def test_filing_refuses_another_departments_device_and_a_second_open_ticket(
    staff, department, other_department, ticket, device
):
    from tests.inventory.factories import EquipmentFactory

    foreign = EquipmentFactory(status="in_use", department=other_department)
    with pytest.raises(ActionRefused, match="not on your department"):
        services.ticket_file(
            by=staff, department=department, contact_phone="1", equipment=foreign, category="hardware", description="x"
        )
    with pytest.raises(ActionRefused, match="own department"):
        file_ticket(staff, other_department, device_description="PC", category="hardware", description="x")
    with pytest.raises(ActionRefused, match=ticket.number):
        services.ticket_file(
            by=staff, department=department, contact_phone="1", equipment=device, category="hardware", description="x"
        )


def test_full_flow_moves_the_device_and_logs_every_step(ticket, officer, staff, dept_head, device):
    ticket = act(ticket, "dispatch", officer, assignee=officer)
    assert ticket.state == "dispatched" and ticket.assignee == officer
    ticket = act(ticket, "arrive", officer)
    assert ticket.state == "on_site" and ticket.response_seconds is not None
    device.refresh_from_db()
    assert device.status == Equipment.Status.UNDER_REPAIR
    ticket = act(ticket, "repair", officer, cause="内存松动", action_taken="重新插拔内存", parts_used="")
    device.refresh_from_db()
    assert device.status == Equipment.Status.IN_USE
    assert ticket.repaired_by == officer and ticket.repair_met is True
    assert any("please confirm" in t or "请确认" in t for t in titles(staff))
    ticket = act(ticket, "confirm", dept_head, satisfaction=5, comment="很好")
    assert ticket.state == "confirmed" and ticket.satisfaction == 5 and ticket.confirmed_by == dept_head
    ticket = act(ticket, "close", officer)
    assert ticket.state == "closed"
    actions = list(
        TransitionLog.objects.filter(object_id=ticket.pk, content_type__model="repairticket")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["dispatch", "arrive", "repair", "confirm", "close"]


def test_not_fixed_sends_it_back_on_site(ticket, officer, staff):
    ticket = to_repaired(ticket, officer)
    with pytest.raises(ActionRefused, match="still not working"):
        act(ticket, "reopen", staff, comment="")
    ticket = act(ticket, "reopen", staff, comment="还是黑屏")
    assert ticket.state == "on_site" and ticket.reopen_count == 1 and ticket.repaired_at is None
    assert TransitionLog.objects.filter(object_id=ticket.pk, action="reopen", comment="还是黑屏").exists()


def test_only_the_reporting_department_confirms_and_never_the_repairer(
    ticket, officer, outsider, department, make_user
):
    ticket = to_repaired(ticket, officer)
    with pytest.raises(ActionRefused, match="department that reported"):
        act(ticket, "confirm", outsider, satisfaction=4)
    with pytest.raises(ActionRefused, match="department that reported"):
        act(ticket, "confirm", officer, satisfaction=4)
    repairer_in_department = make_user("it_officer", department=department)
    other = RepairTicket.objects.get(pk=ticket.pk)
    RepairTicket.objects.filter(pk=other.pk).update(repaired_by=repairer_in_department)
    with pytest.raises(ActionRefused, match="repair you did yourself"):
        act(RepairTicket.objects.get(pk=ticket.pk), "confirm", repairer_in_department, satisfaction=4)


def test_only_it_dispatches_and_repairs(ticket, staff, officer):
    with pytest.raises(ActionRefused, match="Only these roles|只有"):
        act(ticket, "dispatch", staff, assignee=officer)
    ticket = to_on_site(ticket, officer)
    with pytest.raises(ActionRefused):
        act(ticket, "repair", staff, cause="x", action_taken="y")


def test_cancel_needs_a_reason_and_only_before_dispatch(ticket, staff, officer, department, device):
    with pytest.raises(ActionRefused, match="reason"):
        act(ticket, "cancel", staff, comment="")
    cancelled = act(ticket, "cancel", staff, comment="重启后好了")
    assert cancelled.state == "cancelled"
    second = services.ticket_file(
        by=staff, department=department, contact_phone="1", equipment=device, category="hardware", description="x"
    )
    second = act(second, "dispatch", officer, assignee=officer)
    with pytest.raises(ActionRefused, match="状态|status"):
        act(second, "cancel", staff, comment="算了")


def test_clock_pauses_while_waiting_for_the_vendor(staff, department, device, officer):
    device.warranty_end = datetime.date(2027, 1, 1)  # in warranty: the vendor's path
    device.save()
    with time_machine.travel(START, tick=False) as clock:
        ticket = services.ticket_file(
            by=staff, department=department, contact_phone="1", equipment=device, category="hardware", description="x"
        )
        due = ticket.repair_due
        assert due == START + datetime.timedelta(minutes=1440)
        clock.shift(datetime.timedelta(minutes=10))
        ticket = to_on_site(ticket, officer)
        ticket = act(ticket, "wait_vendor", officer, vendor="联想服务站", rma_no="RMA1")
        assert ticket.is_paused
        clock.shift(datetime.timedelta(days=3))
        assert not RepairTicket.objects.breaching().filter(pk=ticket.pk).exists()
        assert services.escalate_breaches() == 0
        ticket = act(ticket, "resume", officer)
        assert ticket.paused_seconds == 3 * 86400
        assert ticket.repair_due == due + datetime.timedelta(days=3)
        clock.shift(datetime.timedelta(hours=2))
        ticket = act(ticket, "repair", officer, cause="主板", action_taken="厂家更换主板")
    assert ticket.repair_seconds == 10 * 60 + 2 * 3600
    assert ticket.repair_met is True


def test_parts_wait_needs_the_department_heads_approval(ticket, officer, dept_head, staff):
    ticket = to_on_site(ticket, officer)
    ticket = services.ticket_wait_parts(
        ticket=ticket, by=officer, lines=[{"part": "内存条 8G", "quantity": 2, "unit_cost": Decimal("260")}, {}]
    )
    assert ticket.state == "waiting_parts" and ticket.is_paused
    assert ticket.parts.count() == 1
    assert any("Approve parts" in t or "审批" in t or "批准" in t for t in titles(dept_head))
    with pytest.raises(ActionRefused, match="not approved"):
        act(ticket, "repair", officer, cause="x", action_taken="y")
    with pytest.raises(ActionRefused, match="head of the reporting department"):
        act(ticket, "approve_parts", staff)
    ticket = act(ticket, "approve_parts", dept_head)
    assert ticket.state == "waiting_parts"
    assert ticket.parts.get().approved_by == dept_head
    ticket = act(ticket, "repair", officer, cause="内存坏", action_taken="更换内存", parts_used="内存条 8G ×2")
    assert ticket.state == "repaired" and not ticket.is_paused


def test_spare_machine_is_lent_and_must_come_back_before_the_ticket_closes(ticket, officer, dept_head, spare):
    ticket = to_on_site(ticket, officer)
    ticket = services.ticket_lend_spare(
        ticket=ticket, spare=spare, expected_return=timezone.localdate() + datetime.timedelta(days=5), by=officer
    )
    spare.refresh_from_db()
    assert spare.status == Equipment.Status.ON_LOAN
    assert ticket.spare_loan.department == ticket.department
    with pytest.raises(ActionRefused, match="already lent"):
        services.ticket_lend_spare(ticket=ticket, spare=spare, expected_return=timezone.localdate(), by=officer)
    ticket = act(ticket, "repair", officer, cause="x", action_taken="y")
    ticket = act(ticket, "confirm", dept_head, satisfaction=4)
    assert any(spare.asset_no in t for t in titles(officer))
    with pytest.raises(ActionRefused, match=r"Hardware Repair Rules \(items 5–6\).*spare machine comes back"):
        act(ticket, "close", officer)
    assert RepairTicket.objects.get(pk=ticket.pk).state == "confirmed"
    services.ticket_return_spare(ticket=ticket, by=officer)
    spare.refresh_from_db()
    assert spare.status == Equipment.Status.SPARE
    assert SpareLoan.objects.get().returned_at is not None
    assert RepairTicket.objects.get(pk=ticket.pk).spare_out is None
    assert act(ticket, "close", officer).state == "closed"


def test_class_1_notifies_it_head_and_leader_at_once(ticket, officer, it_head, leader, staff):
    with pytest.raises(ActionRefused, match="reason"):
        act(ticket, "reclassify", officer, fault_class="1", comment="")
    ticket = act(ticket, "reclassify", officer, fault_class="1", comment="整层网络中断")
    assert ticket.fault_class == "1"
    assert ticket.response_due == ticket.reported_at + datetime.timedelta(minutes=15)
    assert any(ticket.number in t for t in titles(it_head))
    assert any(ticket.number in t for t in titles(leader))
    with pytest.raises(ActionRefused, match="Only IT"):
        file_class_1(staff, staff.department, device_description="x", description="x")


def test_manual_fallback_milestones_pass_with_time(staff, department, officer):
    with time_machine.travel(START, tick=False) as clock:
        ticket = file_class_1(officer, department)
        clock.shift(datetime.timedelta(minutes=45))
        passed = [passed for at, text, passed in ticket.manual_fallback()]
        assert passed == [True, False, False]
        clock.shift(datetime.timedelta(hours=6))
        assert [p for at, text, p in ticket.manual_fallback()] == [True, True, False]


def test_escalation_climbs_one_level_per_limit_and_is_idempotent(staff, department, officer, it_head, leader):
    with time_machine.travel(START, tick=False) as clock:
        ticket = file_class_1(officer, department)
        ticket = act(ticket, "dispatch", officer, assignee=officer)
        clock.shift(datetime.timedelta(minutes=14))
        assert services.escalate_breaches() == 0
        clock.shift(datetime.timedelta(minutes=2))
        assert services.escalate_breaches() == 1
        assert services.escalate_breaches() == 0
        assert Escalation.objects.filter(ticket=ticket).count() == 1
        assert sum("overdue" in t.lower() or "超时" in t for t in titles(officer)) == 1
        assert not any("overdue" in t.lower() or "超时" in t for t in titles(it_head))
        clock.shift(datetime.timedelta(minutes=15))
        assert services.escalate_breaches() == 1
        assert sum("overdue" in t.lower() or "超时" in t for t in titles(it_head)) == 1
        clock.shift(datetime.timedelta(minutes=15))
        services.escalate_breaches()
        services.escalate_breaches()
        assert sum("overdue" in t.lower() or "超时" in t for t in titles(leader)) == 1
        assert list(ticket.escalations.values_list("clock", "level")) == [
            ("response", 1),
            ("response", 2),
            ("response", 3),
        ]
        clock.shift(datetime.timedelta(hours=12))
        services.escalate_breaches()
        assert ticket.escalations.filter(clock="repair").count() == 3
        assert services.escalate_breaches() == 0


def test_escalation_task_runs_through_celery(staff, department, officer):
    from repairs.tasks import escalate_breaches

    with time_machine.travel(START, tick=False) as clock:
        file_class_1(officer, department, device_description="x", description="x")
        clock.shift(datetime.timedelta(minutes=20))
        assert escalate_breaches.delay().get() == 1


def test_failure_report_for_class_1_is_reminded_daily_until_filed(staff, department, officer, it_head):
    with time_machine.travel(START, tick=False) as clock:
        ticket = file_class_1(
            officer, department, device_description="HIS服务器", category="application", description="HIS停机"
        )
        ticket = to_repaired(ticket, officer)
        assert ticket.failure_report_due == ticket.repaired_at + datetime.timedelta(days=2)
        assert services.remind_failure_reports() == 1
        assert services.remind_failure_reports() == 0
        clock.shift(datetime.timedelta(days=1))
        assert services.remind_failure_reports() == 1
        assert sum("Failure report" in t or "故障排除报告" in t for t in titles(it_head)) == 2
        services.failure_report_file(
            ticket=ticket, by=officer, cause="存储链路故障", timeline="09:00 停机，11:00 恢复", measures="增加冗余链路"
        )
        clock.shift(datetime.timedelta(days=1))
        assert services.remind_failure_reports() == 0
        with pytest.raises(ActionRefused, match="already filed"):
            services.failure_report_file(ticket=ticket, by=officer, cause="x", timeline="x", measures="x")


def test_failure_report_only_for_a_repaired_class_1_fault(ticket, officer):
    with pytest.raises(ActionRefused, match="class 1"):
        services.failure_report_file(ticket=ticket, by=officer, cause="x", timeline="x", measures="x")


def test_selectors_for_the_departure_gate_and_the_device_page(ticket, officer, device):
    from repairs.selectors import open_tickets_assigned_to, tickets_for_equipment

    assert list(open_tickets_assigned_to(officer)) == []
    ticket = act(ticket, "dispatch", officer, assignee=officer)
    assert list(open_tickets_assigned_to(officer)) == [ticket]
    assert list(tickets_for_equipment(device)) == [ticket]
