"""A privileged account's custodians (django-guardian) and the IT head open its page and record what is done under it.

Issue 16: custody is a right on the one account, given and taken only by ``privileged_account_save``; the register's
lines stay readable to the roles that read them, without a link for those who may not open the account.
"""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import get_users_with_perms

from accounts import services
from accounts.models import PrivilegedAccount
from accounts.permissions import CUSTODY, may_keep_account
from portal.exceptions import ActionRefused
from portal.models import SecurityEvent
from tests.permissions import assert_permission_matrix


def _account(people, *, tier=2, custodians=None, device="LIS 应用服务器", by=None):
    account = PrivilegedAccount(
        tier=tier,
        kind="workstation" if tier == 3 else "server",
        system_or_device=device,
        account_name="root",
        last_password_change=timezone.localdate() - timedelta(days=30),
    )
    custodians = custodians if custodians is not None else [people.officer, people.it_head]
    return services.privileged_account_save(account=account, custodians=custodians, by=by or people.it_head)


def _keepers(account):
    return set(get_users_with_perms(account, only_with_perms_in=["keep_account"], with_superusers=False))


def _operation(people, witness=None):
    return {
        "description": "更换 RAID 卡固件",
        "performed_by": people.officer.pk,
        "performed_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "witness": (witness or people.it_head).pk,
    }


def test_a_custodian_opens_the_account_and_records_its_password_change_and_a_major_operation(people, client):
    account = _account(people)
    client.force_login(people.officer)
    page = client.get(account.get_absolute_url()).content.decode()
    assert reverse("accounts:privileged_account_rotation", args=[account.pk]) in page
    assert reverse("accounts:major_operation_create", args=[account.pk]) in page

    today = timezone.localdate()
    response = client.post(
        reverse("accounts:privileged_account_rotation", args=[account.pk]), {"changed_on": today.isoformat()}
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.last_password_change == today

    response = client.post(reverse("accounts:major_operation_create", args=[account.pk]), _operation(people))
    assert response.status_code == 302
    assert account.operations.get().recorded_by == people.officer


def test_other_it_staff_the_dba_leaders_and_the_auditor_get_404_on_the_page_and_its_actions(people, client):
    account = _account(people)
    others = [people.officer2, people.dba, people.auditor, people.leader, people.staff]
    for name in ("detail", "history", "rotation"):
        url = reverse(f"accounts:privileged_account_{name}", args=[account.pk])
        assert_permission_matrix(client, url, allowed=[people.officer, people.it_head], hidden=others)
    assert_permission_matrix(
        client,
        reverse("accounts:major_operation_create", args=[account.pk]),
        allowed=[people.officer, people.it_head],
        hidden=others,
    )
    # The edit page asks the role first (403), then the account (404).
    assert_permission_matrix(
        client,
        reverse("accounts:privileged_account_edit", args=[account.pk]),
        allowed=[people.officer, people.it_head],
        forbidden=[people.auditor, people.leader, people.staff],
        hidden=[people.officer2, people.dba],
    )
    for user in (people.officer2, people.dba, people.auditor):
        client.force_login(user)
        url = reverse("accounts:privileged_account_rotation", args=[account.pk])
        assert client.post(url, {"changed_on": timezone.localdate().isoformat()}).status_code == 404
        url = reverse("accounts:major_operation_create", args=[account.pk])
        assert client.post(url, _operation(people)).status_code == 404
    account.refresh_from_db()
    assert account.last_password_change == timezone.localdate() - timedelta(days=30)
    assert not account.operations.exists()


def test_the_services_refuse_whoever_does_not_keep_the_account(people):
    account = _account(people)
    with pytest.raises(ActionRefused, match="保管人和信息科主任"):
        services.privileged_account_record_rotation(account=account, changed_on=timezone.localdate(), by=people.dba)
    with pytest.raises(ActionRefused, match="保管人和信息科主任"):
        services.major_operation_record(
            account=account,
            description="重启",
            performed_by=people.officer2,
            performed_at=timezone.now(),
            witness=people.officer,
            by=people.officer2,
        )
    with pytest.raises(ActionRefused, match="保管人和信息科主任"):
        services.privileged_account_save(account=account, custodians=[people.officer2, people.it_head], by=people.dba)
    with pytest.raises(ActionRefused, match="把自己列为保管人"):
        _account(people, device="门诊楼接入交换机", by=people.dba)
    assert _keepers(account) == {people.officer, people.it_head}


def test_the_it_head_opens_and_records_an_account_others_keep(people, client):
    account = _account(people, tier=3, custodians=[people.head], device="内科护士站电脑")
    assert people.it_head not in _keepers(account)
    client.force_login(people.it_head)
    assert client.get(account.get_absolute_url()).status_code == 200
    services.privileged_account_record_rotation(account=account, changed_on=timezone.localdate(), by=people.it_head)
    # The department's own custodian opens their tier-3 account too, though their role opens no IT page.
    client.force_login(people.head)
    assert client.get(account.get_absolute_url()).status_code == 200
    assert client.get(reverse("accounts:privileged_account_list")).status_code == 403


def test_naming_and_taking_off_a_custodian_grants_and_revokes_the_right_in_the_audit_log(people):
    account = _account(people)
    assert _keepers(account) == {people.officer, people.it_head}
    assert may_keep_account(people.officer, account) and not may_keep_account(people.officer2, account)

    services.privileged_account_save(account=account, custodians=[people.officer2, people.it_head], by=people.it_head)
    assert _keepers(account) == {people.officer2, people.it_head}
    assert not may_keep_account(people.officer, account) and may_keep_account(people.officer2, account)
    assert account.custody_moves.get().former_custodian == people.officer

    events = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PERMISSION_CHANGE, what__startswith=str(account))
    assert [(event.what, event.detail, event.user) for event in events.order_by("pk")] == [
        (f"{account}: 张伟", {"custodian": "named"}, people.it_head),
        (f"{account}: 陈志强", {"custodian": "named"}, people.it_head),
        (f"{account}: 黄鹏", {"custodian": "named"}, people.it_head),
        (f"{account}: 张伟", {"custodian": "taken off"}, people.it_head),
    ]


def test_the_persons_page_names_the_accounts_they_keep_linked_for_who_may_open_them(people, client):
    account = _account(people)
    client.force_login(people.it_head)
    section = client.get(people.officer.get_absolute_url()).content.decode().split('data-testid="object-permissions"')
    assert f'保管人: <a href="{account.get_absolute_url()}">LIS 应用服务器 · root</a>' in section[1]
    client.force_login(people.officer2)
    section = client.get(people.officer.get_absolute_url()).content.decode().split('data-testid="object-permissions"')
    line = section[1].split("</dd>")[0]
    assert "保管人: LIS 应用服务器 · root" in line and "<a " not in line


def test_the_register_lists_every_line_and_links_only_the_accounts_the_reader_may_open(
    people, client, django_assert_max_num_queries
):
    kept = _account(people)
    others = _account(people, tier=1, custodians=[people.dba, people.it_head], device="HIS 主数据库服务器")
    url = reverse("accounts:privileged_account_list")
    client.force_login(people.officer)
    page = client.get(url).content.decode()
    assert f'href="{kept.get_absolute_url()}"' in page
    assert "HIS 主数据库服务器" in page and f'href="{others.get_absolute_url()}"' not in page

    services.major_operation_record(
        account=others,
        description="数据库补丁升级",
        performed_by=people.dba,
        performed_at=timezone.now() - timedelta(hours=2),
        witness=people.it_head,
        by=people.dba,
    )
    client.force_login(people.auditor)
    with CaptureQueriesContext(connection) as two:
        page = client.get(url).content.decode()
    assert "LIS 应用服务器" in page and "privileged-accounts/" + str(kept.pk) not in page
    # The auditor sees that the written record exists (制度 2), not what it says.
    his_line = next(row for row in page.split("<tr")[1:] if "HIS 主数据库服务器" in row)
    assert "重大操作记录数" in page and ">1</td>" in his_line and "数据库补丁升级" not in page
    for number in range(5):
        _account(people, device=f"院区接入交换机 {number}")
    with django_assert_max_num_queries(len(two)):
        assert client.get(url).status_code == 200


def test_the_data_migration_gives_existing_custodians_their_right(people):
    from guardian.models import UserObjectPermission

    account = _account(people)
    UserObjectPermission.objects.filter(permission__codename="keep_account").delete()
    assert not people.officer.has_perm(CUSTODY, account)
    import_module("accounts.migrations.0014_grant_custodian_permission").grant(apps, None)
    assert _keepers(account) == {people.officer, people.it_head}


def test_the_demo_custodians_hold_their_right(db, settings):
    import io

    from django.core.management import call_command

    from accounts.models import User

    settings.DEBUG = True  # the demo loads only in DEBUG
    call_command("seed_demo", stdout=io.StringIO())
    his = PrivilegedAccount.objects.get(system_or_device__startswith="HIS 主数据库")
    lis = PrivilegedAccount.objects.get(system_or_device__startswith="LIS 应用服务器")
    dba, officer = User.objects.get(username="dba"), User.objects.get(username="it_officer")
    assert _keepers(his) == set(his.custodians.all()) and dba in _keepers(his)
    assert may_keep_account(officer, lis) and not may_keep_account(officer, his)
