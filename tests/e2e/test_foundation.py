import re

from playwright.sync_api import expect


def test_staff_logs_in_sees_chinese_dashboard_and_switches_to_english(page, live_server, login, make_user):
    make_user("staff", username="staff", full_name="王小红")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    login("staff")
    expect(page.get_by_text("您好，王小红")).to_be_visible()
    expect(page.get_by_test_id("awaiting")).to_contain_text("待我处理")
    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_text("Hello, 王小红")).to_be_visible()
    expect(page.get_by_test_id("awaiting")).to_contain_text("Awaiting me")
    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_text("您好，王小红")).to_be_visible()
