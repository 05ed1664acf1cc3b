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


def test_no_page_or_static_file_loads_from_outside_the_intranet(page, live_server, login, make_user):
    """The portal runs on a closed hospital network: every request a page makes goes to the portal itself."""
    make_user("it_head", username="ithead", full_name="陈志强")
    requests, failures = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda response: response.status >= 400 and failures.append(response.url))
    page.goto(f"{live_server.url}/public/")
    login("ithead")
    for path in ("/", "/inventory/equipment/", "/repairs/tickets/", "/reports/", "/accounts/requests/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    outside = [url for url in requests if not url.startswith((live_server.url, "data:", "blob:"))]
    assert outside == [] and failures == []
    assert any("/static/" in url and url.endswith(".css") for url in requests), "the pages load their own styles"
