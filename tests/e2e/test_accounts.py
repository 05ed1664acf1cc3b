import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Departure, InformationSystem, SensitiveQueryLog, SystemModule
from tests.factories import approved_scheme


def _hospital(make_user, department):
    users = {
        "staff": make_user("staff", username="staff", full_name="王小红"),
        "dept_head": make_user("dept_head", username="dept_head", full_name="李建国"),
        "it_officer": make_user("it_officer", username="it_officer", full_name="张伟"),
        "it_head": make_user("it_head", username="it_head", full_name="陈志强"),
        "hr": make_user("hr", username="hr", full_name="周丽"),
    }
    department.head = users["dept_head"]
    department.save()
    return users


def test_request_provision_show_on_user_page_and_departure_gate(page, live_server, login, make_user, department):
    users = _hospital(make_user, department)
    his = InformationSystem.objects.create(code="HIS", name="医院信息系统", tier=1)
    SystemModule.objects.create(system=his, name="门诊医生站")
    SystemModule.objects.create(system=his, name="住院医生站")
    approved_scheme(his)

    login("staff")
    page.goto(f"{live_server.url}/accounts/requests/new/")
    page.select_option("select[name=system]", label="HIS 医院信息系统")
    page.get_by_label("HIS · 门诊医生站").check()
    page.fill("textarea[name=reason]", "门诊坐诊需要开具处方")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("state")).to_have_text("待科室负责人审批")
    request_url = page.url

    login("dept_head")
    page.goto(request_url)
    page.get_by_role("button", name="审批（科室负责人）").click()
    expect(page.get_by_test_id("state")).to_have_text("待信息科主任审批")

    login("it_head")
    page.goto(request_url)
    page.get_by_role("button", name="审批（信息科主任）").click()
    expect(page.get_by_test_id("state")).to_have_text("待信息科开通")

    login("it_officer")
    page.goto(request_url)
    page.get_by_role("link", name="办理开通").click()
    page.fill("input[name=account_name]", "wangxh")
    page.get_by_role("button", name="确认").click()
    expect(page.get_by_test_id("state")).to_have_text("已办结")
    page.goto(f"{live_server.url}{users['staff'].get_absolute_url()}")
    expect(page.get_by_test_id("grants")).to_contain_text("医院信息系统")
    expect(page.get_by_test_id("grants")).to_contain_text("wangxh")

    login("hr")
    page.goto(f"{live_server.url}/accounts/departures/new/")
    page.select_option("select[name=user]", value=str(users["staff"].pk))
    page.fill("input[name=last_day]", timezone.localdate().isoformat())
    page.get_by_role("button", name="保存").click()
    departure_url = page.url
    expect(page.get_by_test_id("open-lines")).to_contain_text("wangxh")
    page.get_by_role("button", name="办结离岗/转岗").click()
    expect(page.get_by_role("alert")).to_contain_text("信息科须先处理完以下事项")
    expect(page.get_by_role("alert")).to_contain_text("医院信息系统 权限（账号 wangxh）")
    expect(page.get_by_test_id("state")).to_have_text("权限清理中")

    login("it_officer")
    page.goto(departure_url)
    page.get_by_test_id("open-lines").get_by_role("button", name="注销").click()
    expect(page.get_by_test_id("open-lines")).to_contain_text("所有事项已处理完毕")

    login("hr")
    page.goto(departure_url)
    page.get_by_role("button", name="办结离岗/转岗").click()
    expect(page.get_by_test_id("state")).to_have_text("已办结")
    assert Departure.objects.get().state == Departure.State.COMPLETED


def test_dba_departure_is_refused_until_the_successors_restore_test(page, live_server, login, make_user):
    from backups.models import BackupRun, BackupTarget, DbaHandover, Verification

    make_user("hr", username="hr", full_name="周丽")
    dba = make_user("dba", username="dba", full_name="刘洋")
    successor = make_user("dba", full_name="接班人")
    it_head = make_user("it_head", full_name="陈志强")
    login("hr")
    page.goto(f"{live_server.url}/accounts/departures/new/")
    page.select_option("select[name=user]", value=str(dba.pk))
    page.fill("input[name=last_day]", timezone.localdate().isoformat())
    page.select_option("select[name=successor]", value=str(successor.pk))
    page.get_by_role("button", name="保存").click()
    page.get_by_role("button", name="办结离岗/转岗").click()
    expect(page.get_by_role("alert")).to_contain_text("数据库管理员交接")

    now = timezone.now()
    target = BackupTarget.objects.create(code="HIS-DB", name="HIS 数据库", kind="oracle", responsible_dba=successor)
    run = BackupRun.objects.create(
        target=target, started_at=now - timedelta(minutes=50), finished_at=now, status="success", operator=successor
    )
    test = Verification.objects.create(
        target=target,
        backup_run=run,
        method="full_restore",
        result="pass",
        started_at=now - timedelta(minutes=20),
        finished_at=now,
        operator=successor,
    )
    DbaHandover.objects.create(
        number="JJ-1",
        departing_dba=dba,
        successor=successor,
        created_by=it_head,
        started_at=now - timedelta(hours=1),
        backup_run=run,
        verification=test,
    )
    page.reload()
    page.get_by_role("button", name="办结离岗/转岗").click()
    expect(page.get_by_test_id("state")).to_have_text("已办结")


def test_unapproved_sensitive_query_shows_red_to_the_auditor(page, live_server, login, make_user):
    officer = make_user("it_officer", full_name="张伟")
    make_user("auditor", username="auditor", full_name="吴刚")
    SensitiveQueryLog.objects.create(
        computer_no="YJK-PC-05",
        operator_code="2107",
        run_at=timezone.now() - timedelta(hours=2),
        scope="门诊 某品种 按医生 上月用量",
        recorded_by=officer,
    )
    login("auditor")
    page.goto(f"{live_server.url}/accounts/sensitive-queries/log/")
    row = page.get_by_test_id("query-log").locator("tbody tr").first
    expect(row).to_have_class(re.compile("table-danger"))
    expect(row).to_contain_text("无审批")
    row.get_by_role("button", name="标记已审核").click()
    expect(page.get_by_test_id("query-log").locator("tbody tr").first).to_contain_text("吴刚")
    expect(page.get_by_test_id("query-log").locator("tbody tr").first).to_have_class(re.compile("table-danger"))
