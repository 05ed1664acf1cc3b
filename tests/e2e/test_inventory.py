"""The stocktake walk in a browser: open a department stocktake, scan one label with the (stubbed) phone camera,
type another, close it with a missing item, and print the stocktake PDF."""

import re
from pathlib import Path

from playwright.sync_api import expect

from inventory.models import Equipment, Stocktake
from tests.factories import DepartmentFactory
from tests.inventory.factories import EquipmentFactory

# Headless Chromium has no camera and no BarcodeDetector: stand in for both, the way a phone provides them.
FAKE_CAMERA = """
(() => {
  window.__scanQueue = [];
  window.BarcodeDetector = class {
    constructor() {}
    async detect() { return window.__scanQueue.length ? [{ rawValue: window.__scanQueue.shift() }] : []; }
  };
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 48;
  setInterval(() => canvas.getContext("2d").fillRect(0, 0, 64, 48), 50);
  navigator.mediaDevices.getUserMedia = async () => canvas.captureStream(10);
})();
"""


def test_it_officer_runs_a_department_stocktake(page, live_server, login, make_user, department):
    make_user("it_officer", username="it_officer")
    scanned = EquipmentFactory(status="in_use", department=department, asset_no="ZC-2025-000101", room="护士站")
    typed = EquipmentFactory(status="in_use", department=department, asset_no="ZC-2025-000102", room="护士站")
    missing = EquipmentFactory(status="in_use", department=department, asset_no="ZC-2025-000103", room="护士站")

    page.add_init_script(FAKE_CAMERA)
    login("it_officer")
    page.goto(f"{live_server.url}/inventory/stocktakes/")
    page.get_by_role("link", name=re.compile("新建|New")).click()
    page.select_option("select[name=scope]", "department")
    page.select_option("select[name=department]", str(department.pk))
    page.get_by_role("button", name=re.compile("保存|Save")).click()
    expect(page.get_by_text("账面共 3 台设备待盘点")).to_be_visible()
    stocktake = Stocktake.objects.get()

    page.get_by_test_id("scan-link").click()
    page.evaluate(f"window.__scanQueue.push('{live_server.url}/inventory/equipment/asset/{scanned.asset_no}/')")
    page.get_by_role("button", name="摄像头扫码").click()
    expect(page.locator(".alert-success")).to_contain_text(f"{scanned.asset_no}: 账物相符")

    page.fill("input[name=asset_no]", typed.asset_no)
    page.fill("input[name=found_location]", "库房")
    page.get_by_test_id("count-submit").click()
    expect(page.locator(".alert-warning")).to_contain_text(f"{typed.asset_no}: 位置不符")
    expect(page.get_by_test_id("recent")).to_contain_text(scanned.asset_no)

    page.get_by_role("link", name="返回盘点单").click()
    page.get_by_role("link", name="结束盘点").click()
    page.get_by_label("将位置不符的设备在台账中更正为实际所在房间").check()
    page.get_by_role("button", name="确认").click()

    expect(page.get_by_test_id("status")).to_have_text("已关闭")
    expect(page.get_by_test_id("missing")).to_contain_text(missing.asset_no)
    expect(page.get_by_test_id("misplaced")).to_contain_text(typed.asset_no)
    expect(page.get_by_test_id("match-rate")).to_have_text("33.3%")
    stocktake.refresh_from_db()
    assert stocktake.corrections_applied and stocktake.missing_count == 1
    typed.refresh_from_db()
    assert typed.room == "库房"

    pdf = page.request.get(live_server.url + page.get_by_test_id("stocktake-pdf").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")


def test_it_officer_imports_a_snipe_it_export_after_mapping_its_values(page, live_server, login, make_user):
    make_user("it_officer", username="it_officer", department=DepartmentFactory(code="XXK", name="信息科"))
    login("it_officer")
    page.goto(f"{live_server.url}/inventory/imports/new/")
    page.set_input_files("input[name=file]", Path(__file__).parent.parent / "inventory/fixtures/snipeit_assets.csv")
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_test_id("profile")).to_contain_text("Snipe-IT")
    expect(page.get_by_test_id("date-preview")).to_contain_text("1/23/23 → 2023-01-23")

    page.get_by_label("Monitors", exact=True).select_option(label="新建为新类别")
    page.select_option("select[name=map_department]", "")
    page.select_option("select[name=default_department]", label="信息科")
    page.get_by_test_id("import-submit").click()

    expect(page.get_by_test_id("status")).to_have_text("已导入")
    expect(page.get_by_test_id("import-done")).to_contain_text("已导入 22 台设备")
    assert Equipment.objects.filter(category__name="Monitors", department__name="信息科").count() == 6
