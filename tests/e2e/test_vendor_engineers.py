from playwright.sync_api import expect

from repairs import vendors
from repairs.models import VendorNote
from tests.factories import DepartmentFactory
from tests.repairs.conftest import act, file_ticket, to_on_site
from tests.repairs.test_vendor_engineers import photo_bytes


def test_vendor_engineer_sees_only_their_ticket_and_adds_a_note(page, live_server, login, make_user, department):
    it = DepartmentFactory(code="XXK", name="信息科")
    staff = make_user("staff", username="staff", full_name="王小红", phone="81234")
    officer = make_user("it_officer", username="it_officer", full_name="张伟", department=it)
    lenovo = vendors.vendor_save(by=officer, name="联想服务站")
    hp = vendors.vendor_save(by=officer, name="惠普授权维修中心")
    engineer = vendors.engineer_register(
        by=officer, vendor=lenovo, username="vendor", full_name="孙维修", password="Demo-2026"
    ).user
    ours = act(
        to_on_site(file_ticket(staff, department, location="内科护士站"), officer),
        "wait_vendor",
        officer,
        vendor_company=lenovo,
    )
    theirs = act(
        to_on_site(file_ticket(staff, department, description="别家的"), officer),
        "wait_vendor",
        officer,
        vendor_company=hp,
    )
    base = live_server.url

    login("vendor")
    expect(page).to_have_url(f"{base}/repairs/attended/")
    rows = page.get_by_test_id("attended").locator("tr:has(td)")
    expect(rows).to_have_count(1)
    expect(page.get_by_test_id("attended")).to_contain_text(ours.number)
    expect(page.get_by_test_id("attended")).not_to_contain_text(theirs.number)
    expect(page.locator("nav")).not_to_contain_text("仪表盘")

    page.get_by_role("link", name=ours.number).click()
    expect(page.get_by_test_id("location")).to_have_text("内科护士站")
    page.fill("#id_text", "已到场，主板电容鼓包，更换主板。")
    page.set_input_files("#id_photos", files=[{"name": "主板.png", "mimeType": "image/png", "buffer": photo_bytes()}])
    page.get_by_test_id("add-note").click()
    expect(page.get_by_test_id("vendor-notes")).to_contain_text("已到场，主板电容鼓包，更换主板。")
    expect(page.get_by_test_id("note-vendor")).to_have_text("联想服务站")
    expect(page.get_by_test_id("note-photo")).to_have_count(1)
    assert VendorNote.objects.get().author == engineer

    for url in (f"/repairs/attended/{theirs.pk}/", ours.get_absolute_url(), "/repairs/tickets/", "/admin/"):
        response = page.goto(base + url)
        assert response.status == 404, url
