"""Defects a newcomer met on the repair pages (issue 12): each test states what the user sees."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from repairs import report, services
from repairs.models import RepairTicket
from repairs.selectors import awaiting
from tests.inventory.factories import EquipmentFactory

from .conftest import act, to_on_site, to_repaired

pytestmark = pytest.mark.django_db


def _field_block(page, field_id):
    """The crispy wrapper of one field: its label, input and its own error message."""
    start = page.index(f'id="div_id_{field_id}"')
    return page[start : page.find('id="div_id_', start + 1)]


def test_confirm_starts_without_a_rating_and_asks_for_one_next_to_it(client, ticket, officer, dept_head):
    ticket = to_repaired(ticket, officer)
    client.force_login(dept_head)
    url = reverse("repairs:ticket_action", args=[ticket.pk, "confirm"])
    page = client.get(url).content.decode()
    assert 'name="satisfaction"' in page and "checked" not in _field_block(page, "satisfaction")
    response = client.post(url, {"comment": "好了"})
    assert response.status_code == 200
    assert "请选择对本次维修的满意度。" in _field_block(response.content.decode(), "satisfaction")
    ticket.refresh_from_db()
    assert ticket.state == "repaired" and ticket.satisfaction is None


def test_parts_over_the_limit_are_refused_next_to_the_field(client, ticket, officer):
    ticket = to_on_site(ticket, officer)
    client.force_login(officer)
    url = reverse("repairs:ticket_wait_parts", args=[ticket.pk])
    data = {"parts-TOTAL_FORMS": "1", "parts-INITIAL_FORMS": "0", "comment": ""}
    data.update({"parts-0-part": "内存条", "parts-0-quantity": "40000", "parts-0-unit_cost": "123456789012"})
    response = client.post(url, data)
    assert response.status_code == 200
    line = response.context["formset"][0]
    assert set(line.errors) == {"quantity", "unit_cost"}
    page = response.content.decode()
    assert "32767" in _field_block(page, "parts-0-quantity")
    assert "10" in _field_block(page, "parts-0-unit_cost")
    assert not response.context["form"].non_field_errors()
    ticket.refresh_from_db()
    assert ticket.state == "on_site" and not ticket.parts.exists()


def test_second_ticket_for_a_device_links_the_open_one(client, ticket, staff, device):
    client.force_login(staff)
    for field, value in (("asset_no", device.asset_no), ("equipment", device.pk)):
        response = client.post(
            reverse("repairs:ticket_create"),
            {"contact_phone": "81234", field: value, "category": "hardware", "description": "又坏了"},
        )
        assert response.status_code == 200
        link = f'该设备已有未完成的报修单 <a href="{ticket.get_absolute_url()}">{ticket.number}</a>。'
        assert link in _field_block(response.content.decode(), field)
    assert RepairTicket.objects.count() == 1


def test_dept_heads_dashboard_link_lists_only_the_parts_to_approve(
    client, ticket, staff, officer, dept_head, department
):
    waiting = services.ticket_wait_parts(
        ticket=to_on_site(ticket, officer), by=officer, lines=[{"part": "硬盘", "quantity": 1, "unit_cost": 420}]
    )
    other = services.ticket_file(
        by=staff, department=department, contact_phone="1", device_description="打印机", category="printer",
        description="卡纸",
    )  # fmt: skip
    link = next(item for item in awaiting(dept_head) if item.label == "待审批的维修配件")
    assert link.count == 1
    client.force_login(dept_head)
    response = client.get(link.url)
    numbers = [row.record.number for row in response.context["table"].rows]
    assert numbers == [waiting.number] and other.number not in numbers
    assert response.context["queue"] == "parts_to_approve"
    act(RepairTicket.objects.get(pk=waiting.pk), "approve_parts", dept_head)
    assert not list(client.get(link.url).context["table"].rows)


def test_scrapped_device_offers_no_repair_and_the_form_says_why(client, officer, staff, department, device):
    scrapped = EquipmentFactory(status="scrapped", department=department)
    leaving = EquipmentFactory(status="pending_scrap", department=department)
    client.force_login(officer)
    page = client.get(reverse("inventory:equipment_detail", args=[scrapped.pk])).content.decode()
    assert 'data-testid="report-fault"' not in page and "报废设备不再报修" in page
    page = client.get(reverse("inventory:equipment_detail", args=[device.pk])).content.decode()
    assert f"{reverse('repairs:ticket_create')}?asset={device.asset_no}" in page
    client.force_login(staff)
    form = client.get(reverse("repairs:ticket_create"), {"asset": device.asset_no}).context["form"]
    assert form["asset_no"].value() == device.asset_no
    assert list(form.fields["equipment"].queryset) == [device]
    for equipment in (scrapped, leaving):
        response = client.post(
            reverse("repairs:ticket_create"),
            {"contact_phone": "81234", "asset_no": equipment.asset_no, "category": "hardware", "description": "不开机"},
        )
        block = _field_block(response.content.decode(), "asset_no")
        assert equipment.asset_no in block and "报废设备不再报修" in block
    assert not RepairTicket.objects.exists()


def test_report_tables_carry_their_own_names():
    with translation.override("zh-hans"):
        section = report.section(datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))
        tables = {table.slug: table for table in section.tables}
        assert str(tables["by-class"].title) == "报修单按故障分级"
        assert str(tables["by-class"].columns[0]) == "故障分级"
        assert str(tables["by-category"].title) == "报修单按故障类别"
        assert str(tables["by-category"].columns[0]) == "故障类别"


def test_create_page_says_what_is_created(client, staff):
    client.force_login(staff)
    page = client.get(reverse("repairs:ticket_create")).content.decode()
    assert re.search(r"<title>\s*新建报修单", page)
    assert '<h1 class="h4">新建报修单</h1>' in page
