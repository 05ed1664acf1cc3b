import re

import pytest
from playwright.sync_api import expect

from accounts import demo as accounts_demo
from disclosure.models import DisclosureItem


@pytest.fixture
def demo_users(db):
    accounts_demo.seed()


def submit_form(page):
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()


def act(page, live_server, item, label, fields=None, check=None):
    detail = f"{live_server.url}/disclosure/items/{item.pk}/"
    if page.url != detail:
        page.goto(detail)
    page.get_by_test_id("actions").get_by_role("link", name=label).click()
    for name, value in (fields or {}).items():
        field = page.locator(f"[name={name}]")
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    if check:
        page.check(f"[name={check}]")
    submit_form(page)


def collect(page, live_server, login, title, body):
    login("staff")
    page.goto(f"{live_server.url}/disclosure/items/new/")
    page.fill("[name=title]", title)
    page.select_option("[name=category]", label="工作动态")
    page.fill("[name=body]", body)
    submit_form(page)
    expect(page.get_by_test_id("state")).to_have_text("信息采集")
    page.get_by_role("button", name="提交内容审核").click()
    expect(page.get_by_test_id("state")).to_have_text("待内容审核")
    return DisclosureItem.objects.get(title=title)


def test_item_passes_seven_stages_and_appears_on_the_public_page(page, live_server, login, demo_users):
    item = collect(page, live_server, login, "内科病区新增便民服务措施", "内科病区提供床旁结算服务。")
    login("dept_head")
    act(page, live_server, item, "内容审核通过", {"opinion": "public", "comment": "内容准确完整，同意公开"})
    expect(page.get_by_test_id("state")).to_have_text("待保密审查")
    login("secrecy_reviewer")
    act(page, live_server, item, "保密审查通过", {"comment": "不涉密"})
    expect(page.get_by_test_id("state")).to_have_text("待公开审核")
    login("leader")
    act(page, live_server, item, "公开审核（确定公开属性）", {"attribute": "proactive"})
    login("principal")
    act(page, live_server, item, "签发")
    expect(page.get_by_test_id("state")).to_have_text("待录入")
    page.goto(f"{live_server.url}/public/")
    expect(page.get_by_test_id("public-items")).not_to_contain_text("内科病区新增便民服务措施")
    login("it_officer")
    act(page, live_server, item, "录入", {"comment": "医院网站信息公开栏目"}, check="rechecked")
    expect(page.get_by_test_id("state")).to_have_text("待录入审核")
    login("it_head")
    act(page, live_server, item, "录入审核通过并发布")
    expect(page.get_by_test_id("state")).to_have_text("已发布")
    expect(page.get_by_test_id("transition-log").locator("li")).to_have_count(7)
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/public/")
    page.get_by_role("link", name=re.compile("内科病区新增便民服务措施")).click()
    expect(page.get_by_test_id("public-body")).to_have_text("内科病区提供床旁结算服务。")
    expect(page.get_by_test_id("dates")).to_contain_text("信息生成日期")


def test_not_disclosed_without_a_reason_is_refused(page, live_server, login, demo_users):
    item = collect(page, live_server, login, "内科医生绩效分配方案", "按工作量考核。")
    login("dept_head")
    act(page, live_server, item, "内容审核通过", {"opinion": "not_public", "comment": "内部管理信息"})
    login("secrecy_reviewer")
    act(page, live_server, item, "保密审查通过")
    login("leader")
    act(page, live_server, item, "公开审核（确定公开属性）", {"attribute": "not_disclosed"})
    expect(page.get_by_text("不予公开的信息必须注明不予公开的原因")).to_be_visible()
    item.refresh_from_db()
    assert item.state == "publication_review"
    page.select_option("[name=withhold_reason]", "internal_affairs")
    submit_form(page)
    expect(page.get_by_test_id("state")).to_have_text("待签发")


def test_editing_the_body_after_confidentiality_review_sends_it_back(page, live_server, login, demo_users):
    item = collect(page, live_server, login, "冬季呼吸道疾病就诊指引", "发热患者请至发热门诊。")
    login("dept_head")
    act(page, live_server, item, "内容审核通过", {"opinion": "public", "comment": "同意"})
    login("secrecy_reviewer")
    act(page, live_server, item, "保密审查通过")
    login("staff")
    page.goto(f"{live_server.url}/disclosure/items/{item.pk}/")
    page.get_by_test_id("edit").click()
    page.fill("[name=body]", "发热患者请至发热门诊，儿童请至儿科发热门诊。")
    page.fill("[name=comment]", "补充儿童就诊")
    submit_form(page)
    expect(page.get_by_test_id("state")).to_have_text("待内容审核")
    expect(page.get_by_test_id("body")).to_contain_text("儿童请至儿科发热门诊")
    expect(page.get_by_test_id("transition-log")).to_contain_text("修改（退回内容审核）")


def test_request_received_on_a_friday_before_a_holiday_gets_the_right_due_date(page, live_server, login, demo_users):
    login("it_officer")
    page.goto(f"{live_server.url}/disclosure/requests/new/")
    page.select_option("[name=applicant_kind]", "person")
    page.fill("[name=applicant_name]", "刘某某")
    page.fill("[name=applicant_id_no]", "450802198805120000")
    page.fill("[name=contact_phone]", "0775-1234567")
    page.fill("[name=content]", "本人2025年住院费用明细")
    page.select_option("[name=channel]", "letter")
    # Friday 13 February 2026, before the Spring Festival; Saturdays 14 and 28 February are make-up workdays.
    page.fill("[name=received_on]", "2026-02-13")
    submit_form(page)
    expect(page.get_by_test_id("due")).to_contain_text("2026-03-19")
    expect(page.get_by_test_id("due")).to_have_class(re.compile("text-bg-danger"))
