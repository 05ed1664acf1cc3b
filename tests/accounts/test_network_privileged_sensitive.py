from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts import services, tasks
from accounts.forms import PrivilegedAccountForm
from accounts.models import NetworkRequest, PrivilegedAccount, SensitiveQueryLog, SensitiveQueryRequest
from portal.exceptions import ActionRefused
from portal.models import Notification
from tests.accounts.helpers import pledged
from tests.permissions import assert_permission_matrix


@pytest.fixture
def computer(people):
    from inventory.models import Equipment, EquipmentCategory

    category = EquipmentCategory.objects.first() or EquipmentCategory.objects.create(code="pc", name="计算机")
    return Equipment.objects.create(
        asset_no="NK-PC-01", category=category, brand="联想", department=people.staff.department
    )


def test_network_request_flow_and_the_list_of_who_has_it(people, computer, client):
    request = services.network_request_submit(by=people.staff, computer=computer, reason="查阅文献")
    with pytest.raises(ActionRefused, match="院领导"):
        services.network_request_act(request=request, action="approve", by=people.head)
    request = services.network_request_act(request=request, action="approve", by=people.leader)
    request = services.network_request_act(
        request=request,
        action="open_access",
        by=people.officer,
        ip_address="10.8.20.31",
        gateway="10.8.20.1",
        dns="10.1.0.2",
    )
    assert (request.state, request.ip_address, request.opened_by) == (
        NetworkRequest.State.ACTIVE,
        "10.8.20.31",
        people.officer,
    )
    assert Notification.objects.filter(recipient=people.staff, title__contains="外网已开通").exists()
    client.force_login(people.officer)
    text = client.get(reverse("accounts:network_request_list") + "?state=active").content.decode()
    assert "NK-PC-01" in text and "10.8.20.31" in text
    request = services.network_request_act(request=request, action="revoke", by=people.officer, comment="离岗")
    assert request.state == NetworkRequest.State.REVOKED


def test_leader_does_not_approve_own_network_request_and_ip_is_unique(people, computer, make_user):
    own = services.network_request_submit(by=people.leader, computer=computer, reason="x")
    with pytest.raises(ActionRefused, match="不能审批本人的申请"):
        services.network_request_act(request=own, action="approve", by=people.leader)
    first = services.network_request_submit(by=people.staff, computer=computer, reason="x")
    second = services.network_request_submit(by=people.colleague, computer=computer, reason="y")
    for request in (first, second):
        services.network_request_act(request=request, action="approve", by=people.leader)
    services.network_request_act(
        request=first,
        action="open_access",
        by=people.officer,
        ip_address="10.8.20.5",
        gateway="10.8.20.1",
        dns="10.1.0.2",
    )
    with pytest.raises(ActionRefused, match="IP 地址已分配"):
        services.network_request_act(
            request=second,
            action="open_access",
            by=people.officer,
            ip_address="10.8.20.5",
            gateway="10.8.20.1",
            dns="10.1.0.2",
        )


def _account(people, tier, days_ago, **kwargs):
    account = PrivilegedAccount(
        tier=tier,
        kind=kwargs.pop("kind", "database"),
        system_or_device=kwargs.pop("device", f"服务器{tier}-{days_ago}"),
        account_name="sys",
        last_password_change=timezone.localdate() - timedelta(days=days_ago),
    )
    return services.privileged_account_save(account=account, custodians=[people.dba, people.it_head], by=people.it_head)


def test_rotation_interval_follows_the_tier_and_the_daily_task_flags_overdue_once(people):
    tier1 = _account(people, 1, 91)
    tier2 = _account(people, 2, 91)
    assert tier1.rotation_due_on == tier1.last_password_change + timedelta(days=90)
    assert tier1.is_overdue and not tier2.is_overdue
    tasks.flag_overdue_rotations()
    tasks.flag_overdue_rotations()
    assert Notification.objects.filter(recipient=people.dba, title__contains="密码更换逾期").count() == 1
    services.privileged_account_record_rotation(account=tier1, changed_on=timezone.localdate(), by=people.dba)
    tier1.refresh_from_db()
    assert not tier1.is_overdue and tier1.overdue_flagged_for is None
    with time_machine.travel(timezone.now() + timedelta(days=100)):
        tasks.flag_overdue_rotations()
    assert Notification.objects.filter(recipient=people.dba, title__contains="密码更换逾期").count() == 3


def test_major_operations_need_a_witness_and_only_tiers_1_and_2(people):
    tier1, tier3 = _account(people, 1, 10), _account(people, 3, 10, kind="workstation")
    now = timezone.now()
    with pytest.raises(ActionRefused, match="在场人不能是操作人本人"):
        services.major_operation_record(
            account=tier1,
            description="补丁升级",
            performed_by=people.dba,
            performed_at=now,
            witness=people.dba,
            by=people.dba,
        )
    with pytest.raises(ActionRefused, match="一级和二级"):
        services.major_operation_record(
            account=tier3,
            description="重装",
            performed_by=people.dba,
            performed_at=now,
            witness=people.it_head,
            by=people.dba,
        )
    services.major_operation_record(
        account=tier1,
        description="补丁升级",
        performed_by=people.dba,
        performed_at=now,
        witness=people.it_head,
        by=people.dba,
    )
    assert tier1.operations.get().witness == people.it_head


def test_register_never_stores_a_password(people):
    form = PrivilegedAccountForm(
        data={
            "tier": 1,
            "kind": "database",
            "system_or_device": "HIS 库",
            "account_name": "sys",
            "custodians": [people.dba.pk],
            "last_password_change": timezone.localdate().isoformat(),
            "note": "密码 Hx@2026",
            "is_active": "on",
        }
    )
    assert not form.is_valid()
    assert "从不保存" in str(form.errors["note"]) or "不保存任何密码" in str(form.errors["note"])
    assert {field.name for field in PrivilegedAccount._meta.get_fields() if "password" in field.name} == {
        "last_password_change"
    }


def test_privileged_pages_permission_matrix(people, client):
    account = _account(people, 1, 100)  # kept by the DBA and the IT head
    assert_permission_matrix(
        client,
        reverse("accounts:privileged_account_list"),
        allowed=[people.officer, people.dba, people.auditor],
        forbidden=[people.staff, people.head, people.hr],
    )
    # An account's page is its custodians' and the IT head's (issue 16); anyone may keep a tier-3 account, so
    # the page asks no role and is a 404 for everyone else.
    assert_permission_matrix(
        client,
        account.get_absolute_url(),
        allowed=[people.dba, people.it_head],
        hidden=[people.officer, people.auditor, people.leader, people.staff],
    )
    assert_permission_matrix(
        client,
        reverse("accounts:privileged_account_edit", args=[account.pk]),
        allowed=[people.dba, people.it_head],
        forbidden=[people.auditor, people.leader],
        hidden=[people.officer],
    )
    client.force_login(people.auditor)
    assert "table-danger" in client.get(reverse("accounts:privileged_account_list")).content.decode()


def _sensitive(people, by=None):
    today = timezone.localdate()
    return services.sensitive_request_submit(
        by=pledged(by or people.staff),
        purpose="合理用药点评",
        scope=SensitiveQueryRequest.Scope.DRUG_BY_DEPARTMENT,
        scope_detail="内科 抗菌药物",
        period_start=today - timedelta(days=30),
        period_end=today,
    )


def test_sensitive_query_approval_notifies_and_is_filed_by_the_auditor(people):
    request = _sensitive(people)
    with pytest.raises(ActionRefused, match="只能处理本科室"):
        services.sensitive_request_act(request=request, action="approve", by=people.other_head)
    with pytest.raises(ActionRefused, match="科室负责人"):
        services.sensitive_request_act(request=request, action="approve", by=people.auditor)
    request = services.sensitive_request_act(request=request, action="approve", by=people.head)
    assert Notification.objects.filter(recipient=people.auditor, title__contains="请备案").exists()
    request = services.sensitive_request_act(request=request, action="file", by=people.auditor)
    assert (request.state, request.filed_by) == (SensitiveQueryRequest.State.FILED, people.auditor)
    own = _sensitive(people, by=people.head)
    with pytest.raises(ActionRefused, match="不能审批本人的申请"):
        services.sensitive_request_act(request=own, action="approve", by=people.head)


def _filed(people, hours_ago=3):
    """An approval approved and filed ``hours_ago`` hours ago, for drug usage by department."""
    approval = services.sensitive_request_act(request=_sensitive(people), action="approve", by=people.head)
    approval = services.sensitive_request_act(request=approval, action="file", by=people.auditor)
    SensitiveQueryRequest.objects.filter(pk=approval.pk).update(filed_at=timezone.now() - timedelta(hours=hours_ago))
    approval.refresh_from_db()
    return approval


def _query(people, approval, *, hours_ago=1, kind=SensitiveQueryRequest.Scope.DRUG_BY_DEPARTMENT, computer="XXK-02"):
    return services.sensitive_query_record(
        by=people.officer,
        approval=approval,
        computer_no=computer,
        operator_code="1802",
        run_at=timezone.now() - timedelta(hours=hours_ago),
        query_kind=kind,
        scope="按科室",
    )


def test_query_without_approval_is_red_and_the_auditor_only_marks_reviewed(people, client):
    run_at = timezone.now() - timedelta(hours=1)
    _query(people, _filed(people))
    bad = _query(people, None, kind=SensitiveQueryRequest.Scope.DRUG_BY_DOCTOR, computer="YJK-05")
    assert Notification.objects.filter(recipient=people.auditor, title__contains="YJK-05").exists()
    with pytest.raises(ActionRefused, match="尚未批准"):
        _query(people, _sensitive(people), computer="A")
    with pytest.raises(ActionRefused, match="信息科"):
        services.sensitive_query_record(
            by=people.auditor,
            approval=None,
            computer_no="A",
            operator_code="B",
            run_at=run_at,
            query_kind="",
            scope="C",
        )

    client.force_login(people.auditor)
    text = client.get(reverse("accounts:sensitive_query_log")).content.decode()
    assert text.count('class="table-danger"') == 1
    assert "YJK-05" in text.split('class="table-danger"')[1].split("</tr>")[0]
    client.post(reverse("accounts:sensitive_query_review", args=[bad.pk]), {"note": "已约谈"})
    bad.refresh_from_db()
    assert (bad.reviewed_by, bad.review_note) == (people.auditor, "已约谈")

    client.force_login(people.officer)
    other = SensitiveQueryLog.objects.exclude(pk=bad.pk).get()
    assert client.post(reverse("accounts:sensitive_query_review", args=[other.pk])).status_code == 403
    assert_permission_matrix(
        client,
        reverse("accounts:sensitive_query_log"),
        allowed=[people.auditor, people.officer, people.leader],
        forbidden=[people.staff, people.head, people.hr],
    )


@pytest.mark.parametrize(
    "case, reason",
    [
        ("not filed", "未向纪检监察室备案"),
        ("before filing", "备案之前"),
        ("outside the period", "批准期限之外"),
        ("another scope", "非批准的查询范围"),
    ],
)
def test_a_query_counts_as_approved_only_when_filed_before_it_inside_the_period_and_scope(people, client, case, reason):
    """防统方 三, 五: anything short of a filed approval covering the query is red for the auditor, with the reason."""
    good = _query(people, _filed(people), computer="OK-01")
    if case == "not filed":
        approval = services.sensitive_request_act(request=_sensitive(people), action="approve", by=people.head)
        bad = _query(people, approval, computer="BAD-01")
    elif case == "before filing":
        bad = _query(people, _filed(people, hours_ago=1), hours_ago=2, computer="BAD-01")
    elif case == "outside the period":
        approval = _filed(people, hours_ago=24 * 40)
        SensitiveQueryRequest.objects.filter(pk=approval.pk).update(period_end=timezone.localdate() - timedelta(days=2))
        approval.refresh_from_db()
        bad = _query(people, approval, computer="BAD-01")
    else:
        bad = _query(people, _filed(people), kind=SensitiveQueryRequest.Scope.CONSUMABLE_BY_DOCTOR, computer="BAD-01")

    assert good.problems == []
    assert len(bad.problems) == 1 and reason in str(bad.problems[0])
    assert list(SensitiveQueryLog.objects.not_compliant()) == [bad]
    assert Notification.objects.filter(recipient=people.auditor, title__contains="BAD-01").exists()
    assert not Notification.objects.filter(recipient=people.auditor, title__contains="OK-01").exists()
    client.force_login(people.auditor)
    text = client.get(reverse("accounts:sensitive_query_log")).content.decode()
    red = text.split('class="table-danger"')
    assert len(red) == 2 and "BAD-01" in red[1].split("</tr>")[0] and reason in red[1].split("</tr>")[0]


@pytest.mark.parametrize(
    "tier, custodians, refused",
    [
        (1, ("dba",), "一级账号由信息科主任与系统及数据库管理员共同保管"),
        (1, ("it_head", "officer"), "一级账号由信息科主任与系统及数据库管理员共同保管"),
        (1, ("it_head", "dba"), None),
        (2, ("it_head",), "二级账号由信息科主任与信息科工作人员共同保管"),
        (2, ("officer", "dba"), "二级账号由信息科主任与信息科工作人员共同保管"),
        (2, ("it_head", "officer"), None),
        (3, ("head",), None),
    ],
)
def test_each_tier_is_kept_by_the_people_the_policy_names(people, tier, custodians, refused):
    """账号及密码管理制度 2–4."""
    account = PrivilegedAccount(
        tier=tier,
        kind="server",
        system_or_device=f"服务器-{tier}",
        account_name="root",
        last_password_change=timezone.localdate(),
    )
    keepers = [getattr(people, name) for name in custodians]
    if refused:
        with pytest.raises(ActionRefused, match=refused):
            services.privileged_account_save(account=account, custodians=keepers, by=people.it_head)
        assert not PrivilegedAccount.objects.exists()
    else:
        services.privileged_account_save(account=account, custodians=keepers, by=people.it_head)
        assert set(account.custodians.all()) == set(keepers)


def test_moving_custody_off_a_leaver_keeps_the_line_open_until_the_password_is_changed_after_the_move(people, client):
    account = PrivilegedAccount(
        tier=3, kind="workstation", system_or_device="内科护士站电脑", account_name="Administrator",
        last_password_change=timezone.localdate(),
    )  # fmt: skip
    services.privileged_account_save(account=account, custodians=[people.staff], by=people.it_head)
    departure = services.departure_open(
        by=people.hr, user=people.staff, kind="departure", last_day=timezone.localdate()
    )
    client.force_login(people.it_head)  # an account's entry is changed by its custodians in IT or the IT head
    response = client.post(
        reverse("accounts:privileged_account_edit", args=[account.pk]),
        {"tier": 3, "kind": "workstation", "system_or_device": "内科护士站电脑", "account_name": "Administrator",
         "custodians": [people.head.pk], "last_password_change": timezone.localdate().isoformat(), "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    kinds = [line.kind for line in services.departure_open_lines(departure)]
    assert "custody" not in kinds and "custody_password" in kinds

    services.privileged_account_record_rotation(account=account, changed_on=timezone.localdate(), by=people.head)
    assert "custody_password" not in [line.kind for line in services.departure_open_lines(departure)]
    assert account.custody_moves.get().former_custodian == people.staff
