import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inspections.models import InspectionRound, MachineRoom
from portal.models import Notification
from tests.factories import DepartmentFactory


@pytest.fixture
def it_staff(make_user):
    """The IT department's officer 张伟 and its head 陈志强, who logs in as the machine-room lead."""
    it = DepartmentFactory(code="XXK", name="信息科")
    make_user("it_officer", department=it, username="it_officer", full_name="张伟")
    make_user("it_head", department=it, username="it_head", full_name="陈志强")


def open_as(page, login, username, url):
    login(username)
    page.goto(url)


def test_officer_records_round_with_out_of_range_temperature_and_it_head_is_notified(
    page, live_server, login, it_staff
):
    room = MachineRoom.objects.create(
        name="中心机房", location="门诊综合楼五楼", commissioned_on=timezone.localdate() - datetime.timedelta(days=3)
    )

    login("it_officer")
    page.goto(f"{live_server.url}/inspections/")
    expect(page.locator('[data-room="中心机房"] [data-status="pending"]')).to_be_visible()
    page.get_by_test_id(f"start-{room.pk}").click()

    for label in page.locator("label.btn-outline-success").all():
        label.click()
    page.get_by_label("机房温度").fill("31.5")
    page.get_by_label("机房湿度").fill("48")
    page.get_by_label("UPS负载率").fill("42")
    page.get_by_test_id("submit-round").click()

    expect(page.get_by_test_id("round-errors")).to_be_visible()
    temperature_card = page.locator('[data-item="机房温度"]')
    expect(temperature_card).to_contain_text("超出允许范围")
    expect(page.get_by_label("机房温度")).to_have_value("31.5")
    assert InspectionRound.objects.get().state == "draft"

    temperature_card.locator("textarea").fill("1号精密空调停机，已启动备用空调并通知厂家")
    page.get_by_test_id("submit-round").click()
    expect(page.get_by_test_id("round-state")).to_have_text("已提交")
    expect(page.get_by_test_id("results")).to_contain_text("1号精密空调停机")
    assert InspectionRound.objects.get().abnormal_count == 1
    page.get_by_role("link", name="未关闭——跟进").click()
    page.get_by_role("link", name="转报修").click()
    expect(page).to_have_url(re.compile(r"/repairs/tickets/new/\?inspection_result=\d+"))
    expect(page.locator("textarea[name=description]")).to_have_value(re.compile("1号精密空调停机"))

    login("it_head")
    expect(page.get_by_test_id("bell")).to_contain_text("1")
    page.get_by_test_id("bell").click()
    expect(page.get_by_text("巡检异常：中心机房 · 机房温度")).to_be_visible()
    page.get_by_text("巡检异常：中心机房 · 机房温度").click()
    expect(page.get_by_test_id("abnormality-status")).to_contain_text("未关闭")
    assert Notification.objects.filter(recipient__username="it_head").count() == 1


def test_visitor_cannot_be_checked_in_before_approval(page, live_server, login, it_staff):
    MachineRoom.objects.create(name="中心机房", commissioned_on=timezone.localdate())

    login("it_officer")
    page.goto(f"{live_server.url}/inspections/visits/new/")
    expect(page.get_by_test_id("forbidden-items")).to_contain_text("照相机")
    page.locator("#id_room").select_option(label="中心机房")
    page.get_by_label("来访人员").fill("钱工")
    page.get_by_label("来访单位").fill("华为技术服务")
    page.get_by_label("来访事由").fill("核心交换机固件升级")
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_test_id("visit-state")).to_have_text("待审批")
    expect(page.get_by_test_id("actions")).not_to_contain_text("进入机房")
    visit_url = page.url
    # Typing the check-in address of an unapproved visit opens no form.
    assert page.goto(visit_url + "check_in/").status == 403
    expect(page.get_by_test_id("forbidden")).to_be_visible()
    page.goto(visit_url)

    open_as(page, login, "it_head", visit_url)
    page.get_by_test_id("actions").get_by_role("button", name="批准").click()
    expect(page.get_by_test_id("visit-state")).to_have_text("已批准")

    open_as(page, login, "it_officer", visit_url)
    page.get_by_test_id("actions").get_by_role("link", name="进入机房").click()
    page.get_by_label("信息科陪同人员").select_option(label="张伟")
    page.get_by_role("button", name="确认").click()
    expect(page.get_by_test_id("visit-state")).to_have_text("在机房内")
    page.goto(f"{live_server.url}/inspections/visits/")
    expect(page.get_by_test_id("in-room")).to_contain_text("钱工")
