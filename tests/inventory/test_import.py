"""Ledger import: template, column mapping, encodings, all-or-nothing with numbered bad rows, background progress."""

import io
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inventory import import_mapping, importing
from inventory.models import Equipment, EquipmentCategory, EquipmentImport, ImportProfile, LedgerEntry
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


# Other systems' exports: value mapping, defaults, formats, remembered source profiles.

FIXTURES = Path(__file__).parent / "fixtures"
# Rows of snipeit_assets.csv whose US date has a day above 12, so it cannot be read as D/M/YYYY.
US_DATES_NOT_DMY = [2, 3, 7, 8, 9, 12, 13, 19, 20]


def choices(batch, **values):
    """What the mapping page posts for this import: its columns, its shown value matches, overridden by values."""
    data = {f"map_{field}": header for field, header in batch.mapping.items()}
    data.update(date_format=batch.date_format, decimal_separator=batch.decimal_separator)
    for section in import_mapping.value_rows(batch):
        field = section["field"]
        data[f"source_{field}"] = [value["source"] for value in section["values"]]
        data[f"target_{field}"] = [
            values.get(field, {}).get(value["source"], value["chosen"]) for value in section["values"]
        ]
    data.update({key: value for key, value in values.items() if not isinstance(value, dict)})
    return data


def upload_fixture(client, name, **extra):
    raw = (FIXTURES / name).read_bytes()
    client.post("/inventory/imports/new/", {"file": SimpleUploadedFile(name, raw), **extra})
    return latest()


def import_snipe_it(client, **values):
    batch = upload_fixture(client, "snipeit_assets.csv")
    data = choices(
        batch,
        category={"Desktops": "pc", "Monitors": import_mapping.NEW},
        room={"HQ Building": json.dumps(["门诊楼", "3F", "302诊室"], ensure_ascii=False)},
        map_department="",
        default_department="XXK",
        **values,
    )
    response = client.post(f"/inventory/imports/{batch.pk}/", data, follow=True)
    batch.refresh_from_db()
    return batch, response


def test_snipe_it_export_imports_all_22_rows_after_value_mapping(it_client, it_department):
    EquipmentFactory(building="门诊楼", floor="3F", room="302诊室")
    batch = upload_fixture(it_client, "snipeit_assets.csv")
    assert batch.profile.name == "Snipe-IT" and batch.date_format == "mdy" and batch.total == 22
    page = it_client.get(f"/inventory/imports/{batch.pk}/").content.decode()
    assert page.count('name="source_category" value="Laptops"') == 1, "each distinct value is shown once"
    sections = {section["field"]: section for section in import_mapping.value_rows(batch)}
    suggested = {value["source"]: value["chosen"] for value in sections["category"]["values"]}
    assert suggested == {"Laptops": "laptop", "Desktops": "pc", "Monitors": ""}
    statuses = {value["source"]: value["chosen"] for value in sections["status"]["values"]}
    assert statuses["Deployed"] == "in_use" and statuses["Ready to Deploy"] == "in_stock"

    batch, response = import_snipe_it(it_client)

    assert batch.state == "done" and batch.processed == 22, batch.errors
    assert Equipment.objects.filter(asset_no__startswith="HXS-").count() == 22
    monitors = EquipmentCategory.objects.get(name="Monitors")
    assert Equipment.objects.filter(category=monitors).count() == 6
    assert set(Equipment.objects.filter(asset_no__startswith="HXS-").values_list("department", flat=True)) == {
        it_department.pk
    }
    laptop = Equipment.objects.get(asset_no="HXS-000101")
    assert laptop.category.code == "laptop" and laptop.status == "in_use"
    assert str(laptop.purchase_date) == "2023-01-23" and str(laptop.price) == "1299.00"
    assert str(laptop.warranty_end) == "2026-01-23", "Snipe-IT's warranty in months ends 36 months after purchase"
    assert (laptop.building, laptop.floor, laptop.room) == ("门诊楼", "3F", "302诊室")
    assert Equipment.objects.get(asset_no="HXS-000106").room == "Data Center"
    html = response.content.decode()
    assert '<span data-testid="status">已导入</span>' in html and "已导入 22 台设备" in html


def test_a_second_file_from_the_same_source_starts_from_the_remembered_choices(it_client):
    import_snipe_it(it_client)
    monitors = EquipmentCategory.objects.get(name="Monitors")
    text = (FIXTURES / "snipeit_assets.csv").read_text().replace("HXS-", "HXT-").replace(",5CG", ",6CG")
    text = text.replace(",MJ0", ",MK0").replace(",CN0", ",CM0").replace(",PF3", ",PG3")
    text = text.replace("\n", ",\n").replace("Notes,\n", "Notes,MAC Address\n")
    it_client.post("/inventory/imports/new/", {"file": SimpleUploadedFile("snipe-2.csv", text.encode())})
    batch = latest()
    assert batch.profile.name == "Snipe-IT" and "department" not in batch.mapping, "unmapped last time"
    assert batch.mapping["mac_address"] == "MAC Address", "a column new to this source is still recognised"
    assert batch.defaults == {"department": "XXK"}
    page = it_client.get(f"/inventory/imports/{batch.pk}/").content.decode()
    assert f'<option value="{monitors.code}" selected>Monitors</option>' in page
    assert '<option value="XXK" selected>信息科</option>' in page
    it_client.post(f"/inventory/imports/{batch.pk}/", choices(batch))
    batch.refresh_from_db()
    assert batch.state == "done" and Equipment.objects.filter(category=monitors).count() == 12
    assert EquipmentCategory.objects.filter(name="Monitors").count() == 1


def test_the_date_preview_reads_three_dates_in_the_chosen_format(it_client):
    batch = upload_fixture(it_client, "snipeit_assets.csv")
    preview = it_client.get(f"/inventory/imports/{batch.pk}/").context["date_preview"]
    assert [(sample["text"], str(sample["value"])) for sample in preview] == [
        ("1/23/23", "2023-01-23"),
        ("1/23/23", "2023-01-23"),
        ("11/5/22", "2022-11-05"),
    ]
    response = it_client.post(
        f"/inventory/imports/{batch.pk}/", choices(batch, date_format="dmy", action="preview"), follow=True
    )
    batch.refresh_from_db()
    assert batch.state == "uploaded" and batch.date_format == "dmy" and not Equipment.objects.exists()
    html = response.content.decode()
    assert html.count("不是该格式的日期") == 2 and "2022-05-11" in html
    assert '<option value="dmy" selected>' in html


def test_a_wrong_date_format_lists_the_rows_it_cannot_read(it_client):
    batch, response = import_snipe_it(it_client, date_format="dmy")
    assert batch.state == "rejected" and not Equipment.objects.exists()
    assert [error["row"] for error in batch.errors] == US_DATES_NOT_DMY
    html = response.content.decode()
    assert "第 2 行" in html and "购置日期“1/23/23”不是所选格式" in html and "请修改下方的对应选择" in html
    assert '<option value="dmy" selected>' in html, "the page keeps the format the user chose"


def test_glpi_export_with_comma_decimals_and_day_first_dates(it_client, department):
    batch = upload_fixture(it_client, "glpi_computers.csv")
    assert batch.headers[0] == "Name" and batch.profile.name == "GLPI"
    assert batch.decimal_separator == "," and batch.date_format == "dmy"
    page = it_client.get(f"/inventory/imports/{batch.pk}/").content.decode()
    assert page.count('1 299,00 → <span class="text-success">¥1299.00</span>') == 3
    informatique = "Root entity > Hôpital Central > Informatique"
    urgences = "Root entity > Hôpital Central > Urgences"
    it_client.post(f"/inventory/imports/{batch.pk}/", choices(batch, department={informatique: "XXK", urgences: "NK"}))
    batch.refresh_from_db()
    assert batch.state == "done" and batch.processed == 10, batch.errors
    server = Equipment.objects.get(asset_no="INV-2021-0007")
    assert server.category.code == "server" and str(server.price) == "12500.00"
    assert str(server.purchase_date) == "2021-11-17" and server.department.name == "信息科"
    laptop = Equipment.objects.get(serial_no="GLPIPF0006")
    assert laptop.status == "under_repair" and str(laptop.price) == "849.50" and laptop.department == department
    assert str(laptop.purchase_date) == "2022-09-05"
    assert Equipment.objects.get(serial_no="GLPI7X0009").price is None


@pytest.mark.parametrize(
    "text,separator,amount",
    [("1,299.00", ".", "1299.00"), ("1 299,00", ",", "1299.00"), ("1.299,50", ",", "1299.50"), ("¥4980", ".", "4980")],
)
def test_amounts_read_with_the_chosen_decimal_separator(text, separator, amount):
    assert import_mapping.parse_amount(text, separator) == Decimal(amount)


@pytest.mark.parametrize("text,separator", [("1 299,00", "."), ("1,299.00", ",")])
def test_an_amount_written_with_the_other_separator_is_refused_not_misread(text, separator):
    with pytest.raises(InvalidOperation):
        import_mapping.parse_amount(text, separator)


@pytest.mark.parametrize(
    "text,date_format,day",
    [("1/23/23", "mdy", "2023-01-23"), ("23/1/2023", "dmy", "2023-01-23"), ("44949", "excel", "2023-01-23")],
)
def test_dates_read_in_the_chosen_format(text, date_format, day):
    assert str(import_mapping.parse_date(text, date_format)) == day
    with pytest.raises(ValueError):
        import_mapping.parse_date(text, "ymd")


def test_a_latin_1_glpi_export_keeps_its_accents(it_client):
    raw = (FIXTURES / "glpi_computers.csv").read_text(encoding="utf-8-sig").encode("cp1252")
    it_client.post("/inventory/imports/new/", {"file": SimpleUploadedFile("glpi-latin1.csv", raw)})
    batch = latest()
    assert batch.profile.name == "GLPI" and batch.rows[0][6] == "Bâtiment A > 2e étage > Bureau 204"


def test_the_source_chosen_at_upload_wins_over_recognition(it_client):
    page = it_client.get("/inventory/imports/new/").content.decode()
    assert "按列名自动识别" in page and ">GLPI</option>" in page
    glpi = ImportProfile.objects.get(name="GLPI")
    text = "Type;Serial number;Value\nDesktop;ODD-1;1 299,00\n"
    it_client.post(
        "/inventory/imports/new/", {"file": SimpleUploadedFile("odd.csv", text.encode()), "profile": glpi.pk}
    )
    batch = latest()
    assert batch.profile == glpi and batch.decimal_separator == "," and batch.mapping["price"] == "Value"


def test_an_imported_file_cannot_be_imported_twice(it_client, department):
    batch, _response = import_snipe_it(it_client)
    response = it_client.post(f"/inventory/imports/{batch.pk}/", choices(batch), follow=True)
    assert "该文件正在导入或已导入。" in response.content.decode()
    assert Equipment.objects.count() == 22


def test_a_warranty_in_months_needs_a_purchase_date_and_a_number(it_client):
    text = (
        "类别,序列号,购置日期,保修期(月)\n台式电脑,W-1,2024-01-31,13\n台式电脑,W-2,,36\n台式电脑,W-3,2024-01-05,三年\n"
    )
    upload(it_client, "保修.csv", text.encode())
    batch = latest()
    it_client.post(f"/inventory/imports/{batch.pk}/", {f"map_{f}": h for f, h in batch.mapping.items()})
    batch.refresh_from_db()
    assert batch.errors == [
        {"row": 3, "reasons": ["按月填写的保修期需要同时填写购置日期。"]},
        {"row": 4, "reasons": ["保修期“三年”不是月数。"]},
    ]


def test_a_column_not_in_the_file_is_refused_with_a_message(it_client):
    batch = upload_fixture(it_client, "glpi_computers.csv")
    response = it_client.post(f"/inventory/imports/{batch.pk}/", {"map_category": "Colonne inconnue"}, follow=True)
    batch.refresh_from_db()
    assert response.status_code == 200 and "部分选择无效：类别：" in response.content.decode()
    assert batch.state == "uploaded" and batch.mapping["category"] == "Type"
