"""Pages: who sees what, the list's fixed query count, export, labels and stocktake PDFs, forms and refusals."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from inventory import services
from inventory.models import ConfigChange, Equipment, Stocktake
from inventory.selectors import awaiting
from tests.inventory.factories import EquipmentFactory, RackFactory, category
from tests.permissions import assert_permission_matrix

pytestmark = pytest.mark.django_db


def test_equipment_pages_permission_matrix(client, make_user, department, other_department):
    own = EquipmentFactory(status="in_use", department=department)
    foreign = EquipmentFactory(status="in_use", department=other_department)
    officer, staff, auditor = make_user("it_officer"), make_user("staff"), make_user("auditor")
    chief = make_user("dept_head")
    assert_permission_matrix(client, "/inventory/equipment/", allowed=[officer, staff, auditor, chief])
    assert_permission_matrix(client, f"/inventory/equipment/{own.pk}/", allowed=[officer, staff, auditor, chief])
    assert_permission_matrix(
        client, f"/inventory/equipment/{foreign.pk}/", allowed=[officer, auditor], hidden=[staff, chief]
    )
    assert_permission_matrix(client, "/inventory/equipment/new/", allowed=[officer], forbidden=[staff, auditor, chief])
    assert_permission_matrix(
        client, f"/inventory/equipment/{own.pk}/edit/", allowed=[officer], forbidden=[staff, auditor]
    )
    assert_permission_matrix(
        client, f"/inventory/equipment/{own.pk}/transfer/", allowed=[officer], forbidden=[staff, auditor]
    )
    assert_permission_matrix(client, "/inventory/racks/", allowed=[officer, auditor], forbidden=[staff, chief])
    assert_permission_matrix(client, "/inventory/stocktakes/", allowed=[officer, auditor, chief], forbidden=[staff])
    assert_permission_matrix(client, "/inventory/loans/", allowed=[officer, auditor, staff])
    assert_permission_matrix(client, "/inventory/loans/new/", allowed=[officer], forbidden=[staff, auditor])
    assert_permission_matrix(client, "/inventory/changes/", allowed=[officer, auditor], forbidden=[staff])


def test_staff_sees_only_their_departments_devices(client, make_user, department, other_department):
    EquipmentFactory(status="in_use", department=department, asset_no="ZC-2025-OWN001")
    EquipmentFactory(status="in_use", department=other_department, asset_no="ZC-2025-FOREIGN")
    client.force_login(make_user("staff"))
    html = client.get("/inventory/equipment/").content.decode()
    assert "ZC-2025-OWN001" in html and "ZC-2025-FOREIGN" not in html
    exported = client.get("/inventory/equipment/?export=csv").content.decode("utf-8-sig")
    assert "ZC-2025-OWN001" in exported and "ZC-2025-FOREIGN" not in exported
    assert client.get("/inventory/equipment/asset/ZC-2025-FOREIGN/").status_code == 404


def test_staff_page_shows_no_lifecycle_buttons(client, make_user, department):
    device = EquipmentFactory(status="in_use", department=department)
    client.force_login(make_user("staff"))
    html = client.get(f"/inventory/equipment/{device.pk}/").content.decode()
    assert 'data-testid="actions"' not in html
    assert client.post(f"/inventory/equipment/{device.pk}/transfer/").status_code == 403


def _create_devices(count, department):
    rack = RackFactory()
    for n in range(count):
        EquipmentFactory(
            status="in_use",
            department=department,
            custodian=None,
            rack=rack if n < 5 else None,
            rack_unit=n * 2 + 1 if n < 5 else None,
            warranty_end=datetime.date(2027, 1, 1),
        )


def test_equipment_list_query_count_is_fixed(client, make_user, department, django_assert_max_num_queries):
    officer = make_user("it_officer")
    client.force_login(officer)
    _create_devices(3, department)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get("/inventory/equipment/?sort=-warranty_end").status_code == 200
    _create_devices(220, department)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/inventory/equipment/?sort=-warranty_end")
    assert response.status_code == 200
    assert "223" in response.content.decode()


def test_list_filters_and_search(client, make_user, department, other_department):
    client.force_login(make_user("it_officer"))
    EquipmentFactory(status="in_use", department=department, model_name="ThinkCentre", serial_no="ABC-123")
    EquipmentFactory(status="spare", category=category("printer"), serial_no="XYZ-9")
    EquipmentFactory(
        status="in_use",
        department=other_department,
        warranty_end=timezone.localdate() + datetime.timedelta(days=10),
        serial_no="W-1",
    )
    EquipmentFactory(status="in_use", ip_address="10.12.3.45", serial_no="IP-1")

    def rows(query):
        return client.get(f"/inventory/equipment/?{query}").context["table"].paginator.count

    assert rows("status=spare") == 1
    assert rows(f"category={category('printer').pk}") == 1
    assert rows(f"department={other_department.pk}") == 1
    assert rows("warranty=30") == 1
    assert rows("q=abc-1") == 1
    assert rows("q=thinkcentre") == 1
    assert rows("q=10.12.3") == 1
    assert rows("location=302") == 4


def test_export_follows_the_filter(client, make_user, department):
    client.force_login(make_user("it_officer"))
    EquipmentFactory(status="spare", serial_no="SPARE-1")
    EquipmentFactory(status="in_use", department=department, serial_no="USE-1")
    response = client.get("/inventory/equipment/?status=spare&export=csv")
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(table) == 2 and "SPARE-1" in table[1]
    response = client.get("/inventory/equipment/?status=in_use&export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 2 and sheet.cell(2, 5).value == "USE-1" and sheet.cell(2, 6).value == "内科"


def test_label_sheet_pdf_for_filtered_list_and_single_device(client, make_user, department):
    client.force_login(make_user("it_officer"))
    device = EquipmentFactory(status="in_use", department=department)
    response = client.get(f"/inventory/equipment/labels/pdf/?pk={device.pk}")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get("/inventory/equipment/labels/pdf/?status=spare").status_code == 404
    detail = client.get(f"/inventory/equipment/{device.pk}/").content.decode()
    assert f"/inventory/equipment/labels/pdf/?pk={device.pk}" in detail
    assert "/inventory/equipment/labels/pdf/" in client.get("/inventory/equipment/").content.decode()


def test_qr_target_redirects_to_device_page(client, make_user, department):
    client.force_login(make_user("staff"))
    device = EquipmentFactory(status="in_use", department=department)
    response = client.get(f"/inventory/equipment/asset/{device.asset_no.lower()}/")
    assert response.status_code == 302 and response["Location"] == device.get_absolute_url()


def test_register_form_keeps_input_and_explains_errors(client, make_user):
    client.force_login(make_user("it_officer"))
    data = {
        "category": category("pc").pk,
        "brand": "联想",
        "model_name": "M430",
        "mac_address": "nonsense",
        "purchase_date": "2025-03-01",
        "warranty_end": "2024-01-01",
        "height_u": 1,
    }
    response = client.post("/inventory/equipment/new/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "mac_address" in form.errors and "warranty_end" in form.errors
    assert 'value="M430"' in response.content.decode()
    data.update(mac_address="3c-52-82-1a-2b-3c", warranty_end="2028-02-28")
    response = client.post("/inventory/equipment/new/", data)
    device = Equipment.objects.get()
    assert response["Location"] == device.get_absolute_url() and device.mac_address == "3C:52:82:1A:2B:3C"


def test_transition_refusal_shows_a_message_not_a_500(client, make_user, department):
    officer = make_user("it_officer")
    client.force_login(officer)
    device = EquipmentFactory(status="scrapped")
    response = client.post(f"/inventory/equipment/{device.pk}/make_spare/", follow=True)
    assert response.status_code == 200
    assert any("已报废" in str(m) or "Scrapped" in str(m) for m in response.context["messages"])
    response = client.post(f"/inventory/equipment/{device.pk}/issue/", {"department": department.pk})
    assert response.status_code == 200 and response.context["form"].non_field_errors()


def test_install_in_rack_through_the_page(client, make_user, department, it_department=None):
    officer = make_user("it_officer")
    client.force_login(officer)
    rack = RackFactory()
    server = EquipmentFactory(category=category("server"), height_u=2)
    EquipmentFactory(status="in_use", department=department, rack=rack, rack_unit=5, height_u=1)
    response = client.post(
        f"/inventory/equipment/{server.pk}/install/", {"department": department.pk, "rack": rack.pk, "rack_unit": 4}
    )
    assert response.status_code == 200 and "U5" in str(response.context["form"].non_field_errors())
    response = client.post(
        f"/inventory/equipment/{server.pk}/install/", {"department": department.pk, "rack": rack.pk, "rack_unit": 6}
    )
    assert response.status_code == 302
    server.refresh_from_db()
    assert server.rack_unit == 6 and server.status == "in_use"


def test_server_parameter_change_needs_it_head_approval(client, make_user):
    officer, head = make_user("it_officer"), make_user("it_head")
    server = EquipmentFactory(status="in_use", category=category("server"))
    client.force_login(officer)
    client.post(
        f"/inventory/equipment/{server.pk}/changes/new/",
        {"kind": "parameter", "description": "内存上限 96GB", "reason": "高峰", "performed_at": "2026-03-01T10:00"},
    )
    change = ConfigChange.objects.get()
    assert change.state == "pending_approval" and not server.ledger.exists()
    assert client.post(f"/inventory/changes/{change.pk}/approve/").status_code == 403
    client.force_login(head)
    assert [a.label for a in awaiting(head) if a.count] != []
    client.post(f"/inventory/changes/{change.pk}/approve/")
    change.refresh_from_db()
    assert change.state == "done" and change.approver == head
    assert server.ledger.get().kind == "config_change"


def test_cabling_change_counts_at_once_and_own_change_cannot_be_approved(make_user):
    head = make_user("it_head")
    switch = EquipmentFactory(status="in_use", category=category("switch"))
    change = services.config_change_record(equipment=switch, kind="cabling", description="跳线", reason="扩容", by=head)
    assert change.state == "done" and switch.ledger.count() == 1
    server = EquipmentFactory(status="in_use", category=category("server"))
    own = services.config_change_record(equipment=server, kind="parameter", description="x", reason="y", by=head)
    from portal.exceptions import ActionRefused

    with pytest.raises(ActionRefused):
        services.take_step(own, "approve", by=head)


def test_stocktake_pages_and_pdf(client, make_user, department, other_department):
    officer = make_user("it_officer")
    devices = [EquipmentFactory(status="in_use", department=department) for _ in range(3)]
    stocktake = services.stocktake_open(scope="department", department=department, by=officer)
    foreign = services.stocktake_open(scope="department", department=other_department, by=officer)
    chief = make_user("dept_head")
    assert_permission_matrix(
        client, f"/inventory/stocktakes/{stocktake.pk}/scan/", allowed=[officer, chief], forbidden=[make_user("staff")]
    )
    assert_permission_matrix(client, f"/inventory/stocktakes/{foreign.pk}/", allowed=[officer], hidden=[chief])
    client.force_login(chief)
    response = client.post(
        f"/inventory/stocktakes/{stocktake.pk}/scan/", {"asset_no": devices[0].asset_no}, follow=True
    )
    assert devices[0].asset_no in response.content.decode()
    client.force_login(officer)
    client.post(f"/inventory/stocktakes/{stocktake.pk}/close/", {"apply_corrections": ""})
    stocktake.refresh_from_db()
    assert stocktake.state == "closed" and stocktake.missing_count == 2
    html = client.get(f"/inventory/stocktakes/{stocktake.pk}/").content.decode()
    assert f"/inventory/stocktakes/{stocktake.pk}/pdf/" in html and devices[1].asset_no in html
    response = client.get(f"/inventory/stocktakes/{stocktake.pk}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_awaiting_counts(make_user, department):
    officer, head = make_user("it_officer"), make_user("it_head")
    chief = make_user("dept_head")
    device = EquipmentFactory(status="in_use", department=department)
    services.take_step(device, "request_scrap", by=officer, comment="老化")
    services.stocktake_open(scope=Stocktake.Scope.DEPARTMENT, department=department, by=officer)
    assert {a.count for a in awaiting(head) if "scrap" in a.url} == {1}
    assert [a.count for a in awaiting(chief)] == [1]
    assert awaiting(make_user("staff")) == []
