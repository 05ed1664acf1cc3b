"""Browser: the DBA sees the portal's own backup and its passing check on the board, then a corrupted
backup file makes "Check now" record a failed check with both checksums and one alert in the bell."""

from pathlib import Path

import pytest
from django.db import connection
from playwright.sync_api import expect

from backups import services, tasks

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite loop")


def test_portal_backup_on_the_board_then_a_corrupted_file_fails_the_check(page, live_server, login, make_user):
    # The first page of a fresh live server can be slow on a loaded CI machine.
    page.set_default_navigation_timeout(30_000)
    dba = make_user("dba", username="dba", full_name="刘洋")
    target = services.portal_target()
    target.responsible_dba = dba
    target.save()
    tasks.back_up_portal_database.delay()
    tasks.queue_due_verifications.delay()

    login("dba")
    page.goto(f"{live_server.url}/backups/")
    row = page.locator('tr[data-target="PORTAL-DB"]')
    expect(row.locator('[data-status="green"]')).to_have_text("符合方案")
    expect(row.get_by_test_id("last-verification")).to_contain_text("通过")

    run = target.runs.get()
    path = Path(run.location)
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF
    path.write_bytes(bytes(data))

    row.get_by_role("link", name=target.name).click()
    page.get_by_role("button", name="立即检查").click()
    expect(page.get_by_text("检查已排队")).to_be_visible()
    page.get_by_test_id("timeline").get_by_role("link", name="恢复到临时数据库（恢复试验）").first.click()
    expect(page.get_by_test_id("result")).to_have_text("未通过")
    expect(page.get_by_test_id("expected-sha")).to_have_text(run.sha256)
    expect(page.get_by_test_id("found-sha")).not_to_have_text(run.sha256)
    expect(page.get_by_test_id("bell")).to_contain_text("1")

    page.goto(f"{live_server.url}/backups/")
    expect(page.locator('tr[data-target="PORTAL-DB"] [data-status="red"]')).to_be_visible()
