"""The repair rules of issue 15 in the browser, in Chinese: what each role sees and is refused."""

import datetime

import pytest
from django.urls import reverse

from repairs import services
from repairs.models import RepairSettings, RepairTicket
from tests.factories import DepartmentFactory
from tests.inventory.factories import EquipmentFactory
from tests.permissions import assert_permission_matrix

from .conftest import act, file_ticket, to_on_site, to_repaired

pytestmark = pytest.mark.django_db


def action_url(ticket, action):
    return reverse("repairs:ticket_action", args=[ticket.pk, action])


def test_the_it_head_closes_without_confirmation_on_a_page_and_the_ticket_says_so(client, ticket, officer, it_head):
    ticket = to_repaired(ticket, officer)
    url = action_url(ticket, "close_unconfirmed")
    assert_permission_matrix(client, url, allowed=[it_head], forbidden=[officer])
    client.force_login(it_head)
    response = client.post(url, {"comment": "科室三次提醒未确认，电话回访正常"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="closed-unconfirmed"' in page and "未经科室确认" in page
    assert "科室三次提醒未确认，电话回访正常" in page
    assert RepairTicket.objects.get(pk=ticket.pk).state == "closed"


def test_close_is_refused_in_words_while_the_spare_is_out(client, ticket, officer, dept_head, spare):
    ticket = to_on_site(ticket, officer)
    services.ticket_lend_spare(ticket=ticket, spare=spare, expected_return=datetime.date(2026, 12, 31), by=officer)
    ticket = act(act(ticket, "repair", officer, cause="x", action_taken="y"), "confirm", dept_head, satisfaction=5)
    client.force_login(officer)
    response = client.post(action_url(ticket, "close"), follow=True)
    assert "按《硬件设备维修制度》第5、6条，备用机收回后方可结单" in response.content.decode()
    assert RepairTicket.objects.get(pk=ticket.pk).state == "confirmed"


def test_keeping_the_spare_is_a_page_for_it(client, ticket, officer, dept_head, staff, outsider, spare):
    ticket = to_on_site(ticket, officer)
    services.ticket_lend_spare(ticket=ticket, spare=spare, expected_return=datetime.date(2026, 12, 31), by=officer)
    ticket = act(ticket, "repair", officer, cause="x", action_taken="y")
    url = reverse("repairs:ticket_keep_spare", args=[ticket.pk])
    assert_permission_matrix(client, url, allowed=[officer], forbidden=[staff, dept_head, outsider])
    client.force_login(officer)
    assert 'data-testid="keep-spare"' in client.get(ticket.get_absolute_url()).content.decode()
    response = client.post(url, {"reason": "原机老化，科室留用备用机"}, follow=True)
    assert "备用机已在台账上替换原设备" in response.content.decode()
    assert RepairTicket.objects.get(pk=ticket.pk).spare_kept


def test_parts_for_an_in_warranty_device_are_the_it_heads_override_with_a_reason(
    client, staff, department, officer, it_head
):
    device = EquipmentFactory(status="in_use", department=department, warranty_end=datetime.date(2027, 12, 31))
    ticket = to_on_site(file_ticket(staff, department, equipment=device, device_description=""), officer)
    url = reverse("repairs:ticket_wait_parts", args=[ticket.pk])
    client.force_login(officer)
    assert client.get(url).status_code == 403
    client.force_login(it_head)
    lines = {
        "parts-TOTAL_FORMS": "1",
        "parts-INITIAL_FORMS": "0",
        "parts-0-part": "硬盘",
        "parts-0-quantity": "1",
        "parts-0-unit_cost": "300",
    }
    response = client.post(url, {**lines, "comment": ""})
    assert response.status_code == 200
    assert "保修期内的设备应及早与厂家联系" in response.content.decode()
    response = client.post(url, {**lines, "comment": "", "override_reason": "厂家停产，自行更换"})
    assert response.status_code == 302
    response = client.get(ticket.get_absolute_url())
    assert (
        'data-testid="path-override"' in response.content.decode() and "厂家停产，自行更换" in response.content.decode()
    )


def test_the_coordinating_departments_read_an_insurance_fault_and_nobody_else(
    client, staff, department, officer, outsider, make_user
):
    office = DepartmentFactory(code="YBB", name="医保办")
    RepairSettings.current().insurance_departments.set([office])
    clerk = make_user("staff", department=office, username="ybclerk")
    ticket = file_ticket(staff, department, category="insurance_line", device_description="医保专线")
    printer = file_ticket(staff, department, device_description="打印机2")
    assert_permission_matrix(client, ticket.get_absolute_url(), allowed=[clerk, staff], hidden=[outsider])
    assert_permission_matrix(client, printer.get_absolute_url(), allowed=[staff], hidden=[clerk])
    client.force_login(clerk)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert 'data-testid="coordinating"' in page and "医保办" in page
    assert ticket.number in client.get(reverse("repairs:ticket_list")).content.decode()


def test_the_settings_page_names_the_departments_told(client, it_head, department):
    client.force_login(it_head)
    page = client.get(reverse("repairs:settings")).content.decode()
    for label in ("其它故障（医保）协调科室", "30分钟内不能恢复时转入手工操作的科室", "提醒报修人确认（天）"):
        assert label in page
