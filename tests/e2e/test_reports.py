import hashlib
import subprocess

from playwright.sync_api import expect

from inventory.models import Equipment, EquipmentCategory
from reports.models import ReportArchive
from tests.inventory.factories import EquipmentFactory

SECTION_TITLES = ["概览", "设备", "设备维修", "机房巡检", "数据备份", "权限", "信息公开"]


def test_leader_picks_last_quarter_and_downloads_the_archived_pdf(page, live_server, login, make_user, tmp_path):
    make_user("leader", username="leader", full_name="李院长")
    pcs, _ = EquipmentCategory.objects.get_or_create(code="pc", defaults={"name": "台式电脑"})
    EquipmentFactory.create_batch(3, category=pcs, status=Equipment.Status.IN_USE)
    EquipmentFactory.create_batch(2, category=pcs, status=Equipment.Status.SPARE)

    login("leader")
    page.get_by_role("button", name="统计报表").click()
    page.get_by_role("link", name="统计报表").click()
    page.get_by_role("link", name="上季度").click()
    expect(page.get_by_test_id("report-title")).to_contain_text("季度")
    equipment = page.get_by_test_id("section-equipment")
    expect(equipment.locator("table", has_text="设备按状态").locator("tfoot")).to_contain_text("5")
    expect(page.get_by_test_id("chart").first).to_be_visible()
    # Only the ledger has data this quarter: its charts are drawn, the others say so instead of an empty axis.
    empty = page.get_by_test_id("chart-empty")
    assert page.get_by_test_id("chart").count() + empty.count() >= 6
    expect(empty.first).to_contain_text("本期无数据")
    for title in SECTION_TITLES:
        expect(page.locator("h3", has_text=title).first).to_be_visible()

    # Eager Celery in the tests: the PDF is generated before the redirect to its progress page.
    page.get_by_test_id("generate-pdf").click(timeout=60_000)
    expect(page.get_by_test_id("status")).to_have_text("已归档", timeout=30_000)
    with page.expect_download() as download_info:
        page.get_by_test_id("download").click()
    path = tmp_path / "report.pdf"
    download_info.value.save_as(path)

    archive = ReportArchive.objects.get()
    assert archive.generated_by.username == "leader" and archive.kind == "quarterly"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == archive.sha256
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for title in SECTION_TITLES:
        assert title in text, title
    status_total = next(
        line for line in text.splitlines() if line.split()[:1] == ["合计"] and line.split()[1:] == ["5"]
    )
    assert status_total

    page.goto(f"{live_server.url}/reports/archive/")
    row = page.get_by_test_id("archive-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("李院长")
    expect(row.locator("code")).to_have_attribute("title", archive.sha256)
