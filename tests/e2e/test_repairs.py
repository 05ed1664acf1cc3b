import datetime

from playwright.sync_api import expect

from inventory.models import Equipment, SpareLoan
from repairs.models import RepairTicket
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


def _click_action(page, action):
    """An action button is either a POST form or a link to the action's form page."""
    link = page.locator(f'[data-testid=actions] a[href$="/{action}/"]')
    if link.count():
        link.click()
    else:
        page.locator(f'[data-testid=actions] form[action$="/{action}/"] button').click()
    page.wait_for_load_state()


def test_staff_files_it_repairs_with_parts_and_spare_department_confirms(
    page, live_server, login, make_user, department
):
    it = DepartmentFactory(code="XXK", name="信息科")
    make_user("staff", username="staff", full_name="王小红", phone="81234")
    head = make_user("dept_head", "staff", username="dept_head", full_name="李建国")
    department.head = head
    department.save()
    make_user("it_officer", username="it_officer", full_name="张伟", department=it)
    device = EquipmentFactory(status="in_use", department=department, warranty_end=datetime.date(2021, 5, 1))
    spare = EquipmentFactory(status="spare", model_name="备用机")
    base = live_server.url

    page.add_init_script(FAKE_CAMERA)
    login("staff")
    page.goto(f"{base}/repairs/tickets/new/")
    page.get_by_test_id("scan").click()
    page.evaluate("label => window.__scanQueue.push(label)", f"{base}/inventory/equipment/asset/{device.asset_no}/")
    expect(page.locator("#id_asset_no")).to_have_value(device.asset_no)
    expect(page.locator("#id_equipment")).to_have_value(str(device.pk))
    page.select_option("#id_category", "hardware")
    page.fill("#id_description", "电脑开机无显示，风扇在转。")
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page.get_by_test_id("state")).to_have_text("已报修")
    ticket = RepairTicket.objects.get()
    assert ticket.equipment == device

    login("it_officer")
    page.goto(f"{base}{ticket.get_absolute_url()}")
    expect(page.get_by_test_id("warranty")).to_contain_text("2021-05-01")
    _click_action(page, "dispatch")
    page.select_option("#id_assignee", label="张伟")
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page.get_by_test_id("assignee")).to_have_text("张伟")
    _click_action(page, "arrive")
    _click_action(page, "wait_parts")
    page.fill("#id_parts-0-part", "内存条 8G DDR4")
    page.fill("#id_parts-0-unit_cost", "260")
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page.get_by_test_id("paused")).to_be_visible()
    page.get_by_test_id("lend-spare").click()
    page.select_option("#id_spare", str(spare.pk))
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page.get_by_test_id("spare")).to_contain_text(spare.asset_no)

    login("dept_head")
    page.goto(f"{base}{ticket.get_absolute_url()}")
    _click_action(page, "approve_parts")
    expect(page.get_by_test_id("parts")).to_contain_text("李建国")

    login("it_officer")
    page.goto(f"{base}{ticket.get_absolute_url()}")
    _click_action(page, "repair")
    page.fill("#id_cause", "内存条损坏")
    page.fill("#id_action_taken", "更换内存条，开机正常")
    page.fill("#id_parts_used", "内存条 8G DDR4 ×1")
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page.get_by_test_id("state")).to_have_text("已修复")
    for testid in ("tag-pdf", "form-pdf"):
        href = page.get_by_test_id(testid).get_attribute("href")
        response = page.request.get(f"{base}{href}")
        assert response.ok and response.headers["content-type"] == "application/pdf"
        assert response.body().startswith(b"%PDF")
    assert Equipment.objects.get(pk=device.pk).status == Equipment.Status.IN_USE

    login("dept_head")
    page.goto(f"{base}{ticket.get_absolute_url()}")
    _click_action(page, "confirm")
    page.locator("input[name=satisfaction][value='4']").check()
    page.fill("#id_comment", "修得很快")
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page.get_by_test_id("confirmation")).to_contain_text("4/5")

    # 硬件设备维修制度 5: the spare comes back before the ticket closes.
    login("it_officer")
    page.goto(f"{base}{ticket.get_absolute_url()}")
    expect(page.get_by_test_id("spare-prompt")).to_contain_text(spare.asset_no)
    page.get_by_test_id("return-spare").click()
    expect(page.get_by_test_id("spare-prompt")).to_have_count(0)
    assert SpareLoan.objects.get().returned_at is not None
    _click_action(page, "close")
    expect(page.get_by_test_id("state")).to_have_text("已关闭")
