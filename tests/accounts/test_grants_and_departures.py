from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts import services, tasks
from accounts.models import Departure, Grant, PrivilegedAccount
from portal.exceptions import ActionRefused
from portal.models import Notification
from tests.permissions import assert_permission_matrix

from .helpers import provisioned


def test_expired_time_bound_grant_becomes_an_it_revocation_task_once(people, oa):
    today = timezone.localdate()
    grant = provisioned(people, oa, ends_on=today + timedelta(days=3))
    tasks.expire_grants()
    assert Grant.objects.get(pk=grant.pk).state == Grant.State.ACTIVE
    with time_machine.travel(timezone.now() + timedelta(days=5)):
        tasks.expire_grants()
        tasks.expire_grants()
    grant.refresh_from_db()
    assert (grant.state, grant.revocation_reason) == (Grant.State.REVOCATION_DUE, Grant.RevocationReason.EXPIRED)
    assert Notification.objects.filter(recipient=people.officer, title__contains="到期权限待注销").count() == 1
    services.grant_revoke(grant=grant, by=people.officer)
    assert Grant.objects.get(pk=grant.pk).state == Grant.State.REVOKED


def test_only_it_revokes_a_grant(people, oa, client):
    grant = provisioned(people, oa)
    with pytest.raises(ActionRefused, match="信息科"):
        services.grant_revoke(grant=grant, by=people.hr)
    client.force_login(people.hr)
    assert client.post(reverse("accounts:grant_revoke", args=[grant.pk])).status_code == 403
    assert Grant.objects.get(pk=grant.pk).state == Grant.State.ACTIVE


def _open(people, user, **kwargs):
    return services.departure_open(
        by=people.hr,
        user=user,
        kind=kwargs.pop("kind", Departure.Kind.DEPARTURE),
        last_day=timezone.localdate(),
        **kwargs,
    )


def test_departure_gate_names_every_open_line_until_it_closes_them(people, his, make_user):
    grant = provisioned(people, his, account="wangxh")
    account = PrivilegedAccount(
        tier=3,
        kind="workstation",
        system_or_device="内科护士站电脑",
        account_name="Administrator",
        last_password_change=timezone.localdate(),
    )
    services.privileged_account_save(account=account, custodians=[people.staff], by=people.it_head)
    departure = _open(people, people.staff)
    grant.refresh_from_db()
    assert (grant.state, grant.revocation_reason) == (Grant.State.REVOCATION_DUE, Grant.RevocationReason.DEPARTURE)
    assert Notification.objects.filter(recipient=people.officer, url=departure.get_absolute_url()).exists()

    with pytest.raises(ActionRefused) as refused:
        services.departure_act(departure=departure, action="complete", by=people.hr)
    assert "医院信息系统 权限（账号 wangxh）" in refused.value.message
    assert "内科护士站电脑" in refused.value.message
    assert Departure.objects.get(pk=departure.pk).state == Departure.State.OPEN

    services.grant_revoke(grant=grant, by=people.officer)
    with pytest.raises(ActionRefused) as refused:
        services.departure_act(departure=departure, action="complete", by=people.hr)
    assert "wangxh" not in refused.value.message
    # Custody is moved by the IT head (only an account's custodians and the IT head change its entry).
    services.privileged_account_save(account=account, custodians=[people.officer], by=people.it_head)
    with pytest.raises(ActionRefused, match="保管人变更后尚未更换密码"):
        services.departure_act(departure=departure, action="complete", by=people.hr)
    services.privileged_account_record_rotation(account=account, changed_on=timezone.localdate(), by=people.officer)

    departure = services.departure_act(departure=departure, action="complete", by=people.hr)
    assert departure.state == Departure.State.COMPLETED
    people.staff.refresh_from_db()
    assert people.staff.is_active is False


def test_equipment_in_custody_is_a_line_item_by_item(people, make_user):
    from inventory.models import Equipment, EquipmentCategory

    category = EquipmentCategory.objects.first() or EquipmentCategory.objects.create(code="pc", name="计算机")
    Equipment.objects.create(
        asset_no="NK-0001",
        category=category,
        brand="联想",
        model_name="M720",
        department=people.staff.department,
        custodian=people.staff,
        status=Equipment.Status.IN_USE,
    )
    departure = _open(people, people.staff)
    lines = services.departure_open_lines(departure)
    assert [line.kind for line in lines] == ["equipment"]
    assert "NK-0001" in lines[0].label


def test_transfer_moves_the_user_when_complete(people, other_department):
    departure = _open(people, people.staff, kind=Departure.Kind.TRANSFER, to_department=other_department)
    services.departure_act(departure=departure, action="complete", by=people.hr)
    people.staff.refresh_from_db()
    assert (people.staff.department, people.staff.is_active) == (other_department, True)


def test_only_hr_completes_and_one_open_departure_per_user(people):
    departure = _open(people, people.staff)
    with pytest.raises(ActionRefused, match="人事科"):
        services.departure_act(departure=departure, action="complete", by=people.officer)
    with pytest.raises(ActionRefused, match="未办结"):
        _open(people, people.staff)
    with pytest.raises(ActionRefused, match="人事科"):
        services.departure_open(
            by=people.officer, user=people.colleague, kind="departure", last_day=timezone.localdate()
        )


def test_leaving_dba_waits_for_the_successors_backup_and_restore_test(people, make_user):
    from backups.models import BackupRun, BackupTarget, DbaHandover, Verification

    successor = make_user("dba", full_name="接班人")
    departure = _open(people, people.dba, successor=successor)
    with pytest.raises(ActionRefused, match="数据库管理员交接"):
        services.departure_act(departure=departure, action="complete", by=people.hr)

    now = timezone.now()
    target = BackupTarget.objects.create(code="HIS-DB", name="HIS 数据库", kind="oracle", responsible_dba=successor)
    handover = DbaHandover.objects.create(
        number="JJ-1",
        departing_dba=people.dba,
        successor=successor,
        created_by=people.it_head,
        started_at=now - timedelta(hours=2),
    )
    run = BackupRun.objects.create(
        target=target, started_at=now - timedelta(hours=1), finished_at=now, status="success", operator=successor
    )
    with pytest.raises(ActionRefused, match="数据库管理员交接"):
        services.departure_act(departure=departure, action="complete", by=people.hr)
    test = Verification.objects.create(
        target=target,
        backup_run=run,
        method="full_restore",
        result="pass",
        started_at=now - timedelta(minutes=30),
        finished_at=now,
        operator=successor,
    )
    DbaHandover.objects.filter(pk=handover.pk).update(backup_run=run, verification=test)

    assert (
        services.departure_act(departure=departure, action="complete", by=people.hr).state == Departure.State.COMPLETED
    )


def test_leaving_network_admin_must_hand_over_the_user_list(people):
    account = PrivilegedAccount(
        tier=2,
        kind="network",
        system_or_device="门诊楼接入交换机",
        account_name="admin",
        last_password_change=timezone.localdate(),
    )
    services.privileged_account_save(account=account, custodians=[people.officer2, people.it_head], by=people.it_head)
    departure = _open(people, people.officer2)
    services.privileged_account_save(account=account, custodians=[people.officer, people.it_head], by=people.it_head)
    kinds = [line.kind for line in services.departure_open_lines(departure)]
    assert "network_handover" in kinds and "stocktake" in kinds
    with pytest.raises(ActionRefused, match="信息科主任"):
        services.departure_record_network_handover(departure=departure, by=people.officer)
    services.departure_record_network_handover(departure=departure, by=people.it_head)
    assert "network_handover" not in [line.kind for line in services.departure_open_lines(departure)]


def test_departure_pages_permission_matrix(people, other_department, client):
    departure = _open(people, people.staff)
    assert_permission_matrix(
        client,
        reverse("accounts:departure_list"),
        allowed=[people.hr, people.officer, people.auditor],
        forbidden=[people.staff],
    )
    assert_permission_matrix(
        client,
        departure.get_absolute_url(),
        allowed=[people.hr, people.officer, people.head],
        forbidden=[people.staff],
        hidden=[people.other_head],
    )
    assert_permission_matrix(
        client, reverse("accounts:departure_create"), allowed=[people.hr], forbidden=[people.officer, people.head]
    )


def test_hr_sees_the_refusal_naming_the_open_grant_on_the_page(people, oa, client):
    provisioned(people, oa, account="oa-wang")
    departure = _open(people, people.staff)
    client.force_login(people.hr)
    response = client.post(reverse("accounts:departure_transition", args=[departure.pk, "complete"]), follow=True)
    text = response.content.decode()
    assert "信息科须先处理完以下事项" in text and "oa-wang" in text


def test_open_repair_ticket_assigned_to_the_leaver_is_a_line(people):
    from repairs import services as repair_services

    ticket = repair_services.ticket_file(
        by=people.staff,
        department=people.staff.department,
        contact_phone="81234",
        category="hardware",
        description="打印机卡纸。",
        device_description="护士站打印机",
    )
    repair_services.ticket_transition(ticket=ticket, action="dispatch", by=people.it_head, assignee=people.officer)
    departure = _open(people, people.officer)
    lines = [line for line in services.departure_open_lines(departure) if line.kind == "repair_ticket"]
    assert len(lines) == 1
    assert ticket.number in lines[0].label
    with pytest.raises(ActionRefused, match=ticket.number):
        services.departure_act(departure=departure, action="complete", by=people.hr)
