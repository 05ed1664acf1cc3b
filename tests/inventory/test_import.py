"""Ledger import: template, column mapping, encodings, all-or-nothing with numbered bad rows, background progress."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inventory import importing
from inventory.models import Equipment, EquipmentImport, LedgerEntry
from tests.inventory.factories import EquipmentFactory

pytestmark = pytest.mark.django_db

HEADER = "资产编号,类别,品牌,型号,序列号,使用科室,购置日期,价格,保修截止,状态\n"


def upload(client, name, raw):
    return client.post("/inventory/imports/new/", {"file": SimpleUploadedFile(name, raw)})


@pytest.fixture
def it_client(client, officer, department, other_department):
    client.force_login(officer)
    return client


def latest():
    return EquipmentImport.objects.latest("pk")


def test_bad_rows_are_listed_with_row_numbers_and_nothing_is_written(it_client):
    EquipmentFactory(serial_no="DUP-001")
    text = (
        HEADER
        + ",台式电脑,联想,M430,OK-1,内科,2024-01-05,4980,2027-01-04,在用\n"
        + ",台式电脑,联想,M430,OK-2,眼科,2024-01-05,4980,2027-01-04,在用\n"
        + ",打印机,惠普,M403,DUP-001,外科,2024-13-45,1600,,在库\n"
    )
    response = upload(it_client, "台账.csv", text.encode("utf-8"))
    batch = latest()
    assert response.status_code == 302 and batch.total == 3
    response = it_client.post(
        f"/inventory/imports/{batch.pk}/", {f"map_{f}": h for f, h in batch.mapping.items()}, follow=True
    )
    batch.refresh_from_db()
    assert batch.state == "rejected"
    assert [error["row"] for error in batch.errors] == [3, 4]
    html = response.content.decode()
    assert "眼科" in html and "DUP-001" in html and "2024-13-45" in html
    assert Equipment.objects.count() == 1 and not LedgerEntry.objects.filter(kind="import").exists()


def test_good_file_in_gbk_with_the_hospitals_own_headers_is_imported(it_client, department):
    text = "设备类型,厂商,规格型号,SN,科室,存放地点,IP地址,购买日期,金额,备注\n" + "".join(
        f'台式电脑,联想,启天M430,GBK-{n},内科,诊室{n},10.1.1.{n},2023/5/{n},"4,980.00",旧台账\n' for n in range(1, 6)
    )
    upload(it_client, "ledger.csv", text.encode("gbk"))
    batch = latest()
    assert batch.mapping["category"] == "设备类型" and batch.mapping["room"] == "存放地点"
    assert batch.mapping["price"] == "金额" and batch.mapping["department"] == "科室"
    it_client.post(f"/inventory/imports/{batch.pk}/", {f"map_{f}": h for f, h in batch.mapping.items()})
    batch.refresh_from_db()
    assert batch.state == "done" and batch.processed == 5
    device = Equipment.objects.get(serial_no="GBK-3")
    assert device.department == department and device.room == "诊室3" and str(device.price) == "4980.00"
    assert device.asset_no.startswith("ZC-") and device.ledger.get().kind == "import"


def test_mapping_chosen_in_the_preview_is_used(it_client):
    text = "Name,Type,Serial number,Entity,Whatever\nPC-01,台式电脑,GLPI-1,内科,x\n"
    upload(it_client, "glpi.csv", ("\ufeff" + text).encode("utf-8"))
    batch = latest()
    assert batch.headers[0] == "Name", "the BOM must not stick to the first header"
    page = it_client.get(f"/inventory/imports/{batch.pk}/").content.decode()
    assert 'name="map_category"' in page and "GLPI-1" in page
    it_client.post(
        f"/inventory/imports/{batch.pk}/",
        {
            "map_category": "Type",
            "map_serial_no": "Serial number",
            "map_department": "Entity",
            "map_model_name": "Name",
        },
    )
    device = Equipment.objects.get(serial_no="GLPI-1")
    assert device.model_name == "PC-01"


def test_xlsx_snipe_it_export(it_client):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["Asset Tag", "Category", "Manufacturer", "Model", "Serial", "Purchase Date", "Purchase Cost", "Status"]
    )
    sheet.append(["HX-0001", "Laptop", "Lenovo", "ThinkPad E14", "SNIPE-1", None, 6200, "Deployed"])
    from inventory.models import EquipmentCategory

    EquipmentCategory.objects.filter(code="laptop").update(name="笔记本电脑")
    buffer = io.BytesIO()
    book.save(buffer)
    upload(it_client, "snipe.xlsx", buffer.getvalue())
    batch = latest()
    it_client.post(f"/inventory/imports/{batch.pk}/", {f"map_{f}": h for f, h in batch.mapping.items()})
    device = Equipment.objects.get(serial_no="SNIPE-1")
    assert device.asset_no == "HX-0001" and device.status == "in_use" and device.category.code == "laptop"


@pytest.mark.parametrize(
    "name,raw",
    [
        ("ledger.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100),
        ("x.csv", b"only a header\n"),
        ("broken.xlsx", b"PK\x03\x04junk"),
    ],
)
def test_unreadable_file_gets_a_clear_message(it_client, name, raw):
    response = upload(it_client, name, raw)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not EquipmentImport.objects.exists()


def test_template_download_round_trips(it_client):
    response = it_client.get("/inventory/imports/template/")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    headers = [cell.value for cell in book.active[1]]
    assert headers == [str(label) for label in importing.COLUMNS.values()]
    assert importing.guess_mapping(headers) == {field: str(label) for field, label in importing.COLUMNS.items()}


def test_big_import_runs_in_the_background_with_progress(it_client, django_capture_on_commit_callbacks):
    rows = "".join(
        f",台式电脑,联想,M430,BIG-{n},内科,2024-01-01,1000,,在用\n" for n in range(importing.BACKGROUND_ROWS + 50)
    )
    upload(it_client, "big.csv", (HEADER + rows).encode("utf-8"))
    batch = latest()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = it_client.post(f"/inventory/imports/{batch.pk}/", {f"map_{f}": h for f, h in batch.mapping.items()})
    batch.refresh_from_db()
    assert batch.state == "queued" and len(callbacks) == 1
    progress = it_client.get(f"/inventory/imports/{batch.pk}/progress/").json()
    assert progress["state"] == "queued" and progress["total"] == importing.BACKGROUND_ROWS + 50
    assert 'id="import-progress"' in it_client.get(response["Location"]).content.decode()
    callbacks[0]()
    progress = it_client.get(f"/inventory/imports/{batch.pk}/progress/").json()
    assert progress["finished"] and progress["percent"] == 100
    assert Equipment.objects.filter(serial_no__startswith="BIG-").count() == importing.BACKGROUND_ROWS + 50


def test_import_pages_are_for_it_only(client, make_user):
    from tests.permissions import assert_permission_matrix

    assert_permission_matrix(
        client,
        "/inventory/imports/new/",
        allowed=[make_user("it_officer")],
        forbidden=[make_user("staff"), make_user("auditor")],
    )


def test_a_mapping_without_the_category_column_asks_for_it(it_client):
    upload(it_client, "台账.csv", (HEADER + ",台式电脑,联想,M430,OK-1,内科,2024-01-05,4980,2027-01-04,在用\n").encode())
    batch = latest()
    mapping = {f"map_{f}": h for f, h in batch.mapping.items() if f != "category"}
    response = it_client.post(f"/inventory/imports/{batch.pk}/", mapping, follow=True)
    batch.refresh_from_db()
    assert batch.state == "rejected"
    assert batch.errors == [{"row": 1, "reasons": ["请为以下字段指定对应列：类别。"]}]
    assert "请为以下字段指定对应列：类别。" in response.content.decode()
    assert not Equipment.objects.exists()
