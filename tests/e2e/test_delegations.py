"""Delegation (代理) in the browser: the head names a deputy for their leave, and the deputy approves a request."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from accounts import services
from accounts.models import InformationSystem, SystemModule
from tests.factories import approved_scheme


def test_the_head_names_a_deputy_who_approves_on_their_behalf(page, live_server, login, make_user, department):
    staff = make_user("staff", username="staff", full_name="王小红")
    head = make_user("dept_head", username="dept_head", full_name="李建国")
    make_user("staff", username="zhaolei", full_name="赵磊")
    department.head = head
    department.save()
    oa = InformationSystem.objects.create(code="OA", name="协同办公系统", tier=3)
    approved_scheme(oa, modules=[SystemModule.objects.create(system=oa, name="公文收发")])
    request = services.permission_request_submit(
        by=staff, subject=staff, kind="add", system=oa, modules=list(oa.modules.all()), reason="收发科室公文"
    )
    today = timezone.localdate()

    login("dept_head")
    page.get_by_test_id("nav-access").click()
    page.get_by_test_id("nav-delegations").click()
    page.get_by_role("link", name="新建").click()
    page.select_option("select[name=deputy]", label="赵磊 (内科)")
    page.fill("input[name=starts_on]", today.isoformat())
    page.fill("input[name=ends_on]", (today + timedelta(days=4)).isoformat())
    page.fill("input[name=reason]", "年休假")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已指定代理人")
    expect(page.get_by_test_id("delegations")).to_contain_text("赵磊")
    expect(page.get_by_test_id("delegations")).to_contain_text("代理中")

    login("zhaolei")
    page.goto(f"{live_server.url}{request.get_absolute_url()}")
    page.get_by_role("button", name="审批（科室负责人）").click()
    expect(page.get_by_test_id("state")).to_have_text("待信息科开通")
    expect(page.get_by_test_id("transition-log")).to_contain_text("赵磊 （代 李建国 审批）")
