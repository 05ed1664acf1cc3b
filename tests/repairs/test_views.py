import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inspections import services as inspection_services
from inspections.models import InspectionTemplate, MachineRoom
from repairs import services
from repairs.models import RepairSettings, RepairTicket
from tests.inventory.factories import EquipmentFactory
from tests.permissions import assert_permission_matrix

from .conftest import act, file_class_1, file_ticket, to_on_site, to_repaired

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(make_user, other_department):
    return make_user("auditor", department=other_department)


def test_ticket_page_is_its_departments_and_its_alone(client, ticket, staff, dept_head, officer, outsider, auditor):
    url = reverse("repairs:ticket_detail", args=[ticket.pk])
    assert_permission_matrix(client, url, allowed=[staff, dept_head, officer, auditor], hidden=[outsider])
    for name in ("repairs:ticket_pdf", "repairs:ticket_tag_pdf", "repairs:ticket_history"):
        assert_permission_matrix(client, reverse(name, args=[ticket.pk]), allowed=[staff, officer], hidden=[outsider])


def test_actions_follow_roles_and_departments(client, ticket, staff, officer, outsider):
    dispatch = reverse("repairs:ticket_action", args=[ticket.pk, "dispatch"])
    client.force_login(outsider)
    assert client.post(dispatch, {"assignee": officer.pk}).status_code == 404
    client.force_login(staff)
    response = client.post(dispatch, {"assignee": officer.pk}, follow=True)
    assert RepairTicket.objects.get(pk=ticket.pk).state == "submitted"
    assert "信息科工程师" in response.content.decode()
    client.force_login(officer)
    client.post(dispatch, {"assignee": officer.pk})
    assert RepairTicket.objects.get(pk=ticket.pk).state == "dispatched"
    assert_permission_matrix(
        client, reverse("repairs:ticket_lend_spare", args=[ticket.pk]), allowed=[officer], forbidden=[staff, outsider]
    )


def test_list_shows_only_the_departments_tickets(client, ticket, staff, outsider, officer, other_department):
    foreign = file_ticket(outsider, other_department)
    client.force_login(staff)
    page = client.get(reverse("repairs:ticket_list")).content.decode()
    assert ticket.number in page and foreign.number not in page
    client.force_login(officer)
    page = client.get(reverse("repairs:ticket_list") + "?queue=unassigned").content.decode()
    assert ticket.number in page and foreign.number in page


def test_settings_are_the_it_heads(client, it_head, officer, staff):
    url = reverse("repairs:settings")
    assert_permission_matrix(client, url, allowed=[it_head], forbidden=[officer, staff])
    client.force_login(it_head)
    data = {
        field.name: getattr(RepairSettings.current(), field.name)
        for field in RepairSettings._meta.fields
        if field.name != "id"
    }
    data["confirm_reminder_days"] = 0
    response = client.post(url, data)
    assert response.status_code == 200 and "confirm_reminder_days" in response.context["form"].errors
    data["confirm_reminder_days"] = 20
    response = client.post(url, data)
    assert response.status_code == 200, "the department head is told after the reporter, never before"
    assert response.context["form"].non_field_errors()
    assert RepairSettings.current().confirm_reminder_days == 7
    data["confirm_reminder_days"] = 10
    client.post(url, data)
    assert RepairSettings.current().confirm_reminder_days == 10


def test_filing_by_typed_or_scanned_asset_number(client, staff, department, device, officer):
    client.force_login(staff)
    page = client.get(reverse("repairs:ticket_create"))
    assert page.context["form"]["contact_phone"].value() == "81234"
    assert list(page.context["form"].fields["equipment"].queryset) == [device]
    scanned = f"http://portal.local/inventory/equipment/asset/{device.asset_no.lower()}/"
    response = client.post(
        reverse("repairs:ticket_create"),
        {"contact_phone": "81234", "asset_no": scanned, "category": "hardware", "description": "蓝屏"},
    )
    ticket = RepairTicket.objects.get()
    assert response.status_code == 302 and response["Location"] == ticket.get_absolute_url()
    assert ticket.equipment == device and ticket.department == department and ticket.reporter == staff


def test_filing_errors_keep_what_was_typed(client, staff, other_department):
    foreign = EquipmentFactory(status="in_use", department=other_department)
    client.force_login(staff)
    response = client.post(
        reverse("repairs:ticket_create"),
        {"contact_phone": "81234", "asset_no": foreign.asset_no, "category": "printer", "description": "卡纸了"},
    )
    assert response.status_code == 200
    assert "asset_no" in response.context["form"].errors
    assert "卡纸了" in response.content.decode()
    response = client.post(
        reverse("repairs:ticket_create"), {"contact_phone": "81234", "category": "printer", "description": "卡纸了"}
    )
    assert "device_description" in response.context["form"].errors
    assert not RepairTicket.objects.exists()


def test_inspection_finding_prefills_a_ticket_for_it_only(client, officer, staff, it_department):
    room = MachineRoom.objects.create(
        name="中心机房", location="门诊综合楼五楼", commissioned_on=datetime.date(2026, 1, 1)
    )
    template = InspectionTemplate.objects.get(target=InspectionTemplate.Target.MACHINE_ROOM)
    inspection = inspection_services.round_start(template=template, room=room, by=officer)
    result = inspection.results.first()
    result.description = "UPS面板告警"
    result.save()
    url = reverse("repairs:ticket_create") + f"?inspection_result={result.pk}"
    client.force_login(staff)
    assert client.get(url).status_code == 403
    client.force_login(officer)
    form = client.get(url).context["form"]
    assert "UPS面板告警" in form["description"].value()
    assert "中心机房" in form["location"].value()
    client.post(
        url,
        {
            "department": it_department.pk,
            "contact_phone": "1",
            "device_description": str(result.item),
            "category": "hardware",
            "description": "UPS面板告警",
            "fault_class": "2",
        },
    )
    assert result.repair_tickets.get().inspection_result == result


def test_pdfs_are_pdfs(client, ticket, officer):
    ticket = to_repaired(ticket, officer)
    client.force_login(officer)
    for name in ("repairs:ticket_pdf", "repairs:ticket_tag_pdf"):
        response = client.get(reverse(name, args=[ticket.pk]))
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_confirm_form_takes_a_rating(client, ticket, officer, dept_head):
    ticket = to_repaired(ticket, officer)
    client.force_login(dept_head)
    url = reverse("repairs:ticket_action", args=[ticket.pk, "confirm"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"satisfaction": "9"})
    assert response.status_code == 200 and "satisfaction" in response.context["form"].errors
    client.post(url, {"satisfaction": "4", "comment": "可以"})
    ticket.refresh_from_db()
    assert ticket.state == "confirmed" and ticket.satisfaction == 4


def test_wait_parts_page_records_lines(client, ticket, officer):
    ticket = to_on_site(ticket, officer)
    client.force_login(officer)
    url = reverse("repairs:ticket_wait_parts", args=[ticket.pk])
    data = {"parts-TOTAL_FORMS": "3", "parts-INITIAL_FORMS": "0", "comment": ""}
    for index in range(3):
        data.update({f"parts-{index}-part": "", f"parts-{index}-quantity": "1", f"parts-{index}-unit_cost": "0"})
    response = client.post(url, data)
    assert (
        response.status_code == 200 and "List at least one part" in response.content.decode()
    ) or "至少" in response.content.decode()
    data["parts-0-part"] = "硬盘"
    data["parts-0-unit_cost"] = "420"
    assert client.post(url, data).status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == "waiting_parts" and ticket.parts.get().part == "硬盘"


def _bulk_tickets(department, reporter, count):
    now = timezone.now()
    tickets = []
    for index in range(count):
        ticket = RepairTicket(number=f"BX-2020-{index:06d}", department=department, reporter=reporter, contact_phone="1",
                              device_description="电脑", category="hardware", description="x", reported_at=now)  # fmt: skip
        ticket.set_due_times(RepairSettings.current().limits("2"))
        tickets.append(ticket)
    RepairTicket.objects.bulk_create(tickets)


def test_list_query_count_does_not_grow_and_pages_by_keyset(
    client, officer, staff, department, django_assert_max_num_queries
):
    _bulk_tickets(department, staff, 5)
    client.force_login(officer)
    url = reverse("repairs:ticket_list")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    RepairTicket.objects.all().delete()
    _bulk_tickets(department, staff, 230)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    with CaptureQueriesContext(connection) as many:
        client.get(url + "?queue=breaching&state=submitted")
    ticket_queries = [
        query["sql"].upper() for query in many.captured_queries if "REPAIRS_REPAIRTICKET" in query["sql"].upper()
    ]
    assert not any("OFFSET" in sql or "COUNT(*)" in sql for sql in ticket_queries)
    rows = response.context["table"].rows
    assert len(rows) == 50
    older = response.context["older"]
    second = client.get(url, {"before": older})
    numbers = [row.record.number for row in second.context["table"].rows]
    assert len(numbers) == 50 and numbers[0] < rows[len(rows) - 1].record.number
    back = client.get(url, {"after": second.context["newer"]})
    assert [row.record.pk for row in back.context["table"].rows] == [row.record.pk for row in rows]


def test_queue_tabs_and_dashboard_count_what_waits(client, ticket, officer, staff, dept_head):
    from repairs.selectors import awaiting

    labels = {item.label: item.count for item in awaiting(officer)}
    assert 1 in labels.values()
    ticket = to_repaired(ticket, officer)
    items = {item.url: item.count for item in awaiting(staff)}
    assert items[reverse("repairs:ticket_list") + "?queue=to_confirm"] == 1
    client.force_login(staff)
    page = client.get(reverse("repairs:ticket_list") + "?queue=to_confirm").content.decode()
    assert ticket.number in page


def test_detail_page_shows_warranty_milestones_and_spare_prompt(
    client, staff, department, officer, dept_head, spare, device
):
    ticket = file_class_1(officer, department, equipment=device, description="整层断网")
    client.force_login(staff)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert 'data-testid="milestones"' in page
    assert "2020-01-01" in page
    ticket = to_on_site(ticket, officer)
    services.ticket_lend_spare(ticket=ticket, spare=spare, expected_return=timezone.localdate(), by=officer)
    ticket = act(RepairTicket.objects.get(pk=ticket.pk), "repair", officer, cause="x", action_taken="y")
    client.force_login(officer)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert 'data-testid="spare-prompt"' in page and spare.asset_no in page
    assert 'data-testid="failure-report"' in page
    client.post(reverse("repairs:ticket_return_spare", args=[ticket.pk]))
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert 'data-testid="spare-prompt"' not in page
    assert ContentType.objects.get_for_model(RepairTicket)


def test_search_finds_a_ticket_or_a_device_by_number_through_one_indexed_lookup(
    client, officer, staff, department, device
):
    by_device = file_ticket(staff, department, equipment=device, description="打印机卡纸")
    other = file_ticket(staff, department, description="显示器闪烁")
    client.force_login(officer)

    def found(q, number):
        """The listed numbers, and the SQL of the query that looked the number up."""
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/repairs/tickets/", {"q": q, "queue": "all"})
        [lookup] = [query["sql"] for query in queries if number in query["sql"] and "LIMIT" in query["sql"]]
        return {ticket.number for ticket in page.context["table"].data}, lookup

    numbers, lookup = found(f" {other.number.lower()} ", other.number)
    assert numbers == {other.number}
    assert f"\"number\" = '{other.number}'" in lookup and " OR " not in lookup.split("WHERE")[1].split("ORDER")[0]
    numbers, lookup = found(device.asset_no.lower(), device.asset_no)
    assert numbers == {by_device.number}
    assert f"\"asset_no\" = '{device.asset_no}'" in lookup and "LIKE" not in lookup
