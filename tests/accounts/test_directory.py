"""Directory login and sync against a real OpenLDAP server started for this module (tests/accounts/directory.py)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.models import Agreement, Departure, RoleChange, User
from accounts.services.directory import directory_sync
from portal.models import SecurityEvent
from portal.roles import Role, has_role

from . import directory as ldap_server

BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.directory.DirectoryBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
STAFF = [
    {"uid": "lijg", "cn": "李建国", "employeeNumber": "20001", "departmentNumber": "NK", "mail": "lijg@h.local"},
    {"uid": "wangxh", "cn": "王小红", "employeeNumber": "20002", "departmentNumber": "NK"},
    {"uid": "zhaol", "cn": "赵磊", "employeeNumber": "20003", "departmentNumber": "WK", "employeeType": "disabled"},
]


@pytest.fixture(scope="module")
def directory_server():
    server = ldap_server.start()
    yield server
    server.stop()


@pytest.fixture
def directory(directory_server, settings, department, other_department):
    directory_server.reset(people=STAFF, groups={Role.DEPT_HEAD: ["lijg"], Role.IT_OFFICER: ["wangxh"]})
    settings.AUTH_LDAP_SERVER_URI = directory_server.ldap_uri
    settings.AUTH_LDAP_BIND_DN = directory_server.root_dn
    settings.AUTH_LDAP_BIND_PASSWORD = directory_server.root_pw
    settings.AUTHENTICATION_BACKENDS = BACKENDS
    return directory_server


def login(client, username, password="Dir-pass-1"):
    return client.post("/login/", {"username": username, "password": password}, follow=True)


def test_first_directory_login_lands_with_department_and_role(client, directory, department):
    response = login(client, "lijg")
    assert response.redirect_chain[-1][0] == reverse("portal:dashboard")
    assert "您好，李建国" in response.content.decode()
    user = User.objects.get(username="lijg")
    assert (user.full_name, user.employee_no, user.department, user.email) == (
        "李建国",
        "20001",
        department,
        "lijg@h.local",
    )
    assert has_role(user, Role.DEPT_HEAD)
    assert not user.has_usable_password()  # the password stays in the directory
    change = RoleChange.objects.get(user=user, role=Role.DEPT_HEAD)
    assert change.changed_by.username == "directory-sync"


def test_wrong_directory_password_is_the_usual_refusal_and_makes_no_account(client, directory):
    response = login(client, "lijg", "wrong")
    assert "用户名或密码不正确。" in response.content.decode()
    assert not User.objects.filter(username="lijg").exists()


def test_disabled_directory_account_does_not_sign_in(client, directory):
    response = login(client, "zhaol")
    assert "用户名或密码不正确。" in response.content.decode()
    assert not client.session.get("_auth_user_id")


def test_directory_entry_without_employee_number_does_not_sign_in(client, directory):
    directory.add_person(uid="noid", cn="无工号")
    response = login(client, "noid")
    assert not client.session.get("_auth_user_id")
    assert "工号" in response.content.decode()


def test_it_role_from_the_directory_waits_for_the_confidentiality_agreement(client, directory, make_user):
    report = directory_sync()
    user = User.objects.get(username="wangxh")
    assert not has_role(user, Role.IT_OFFICER)  # 000 保密制度 7: no 保密协议 on record
    assert "保密协议" in " ".join(report.warnings)
    Agreement.objects.create(
        signatory=user, kind=Agreement.Kind.CONFIDENTIALITY, signed_on="2026-01-02", recorded_by=make_user("it_head")
    )
    report = directory_sync()
    assert has_role(User.objects.get(pk=user.pk), Role.IT_OFFICER)
    assert [changes for _user, changes in report.changed] == [["已授予角色“信息科工程师”"]]


def test_local_accounts_log_in_beside_the_directory(client, directory, make_user):
    make_user("staff", username="local", full_name="本地账号")
    response = login(client, "local", "Demo-2026")
    assert "您好，本地账号" in response.content.decode()


def test_directory_down_says_so_and_local_logins_still_work(client, directory, make_user, settings):
    settings.AUTH_LDAP_SERVER_URI = "ldap://127.0.0.1:9"  # nothing listens there
    settings.LDAP_TIMEOUT_SECONDS = 1
    response = login(client, "lijg")
    assert "目录服务不可用" in response.content.decode()
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.DIRECTORY_UNAVAILABLE, username="lijg").exists()
    make_user("staff", username="local", full_name="本地账号")
    assert "您好，本地账号" in login(client, "local", "Demo-2026").content.decode()


def test_sync_creates_moves_and_opens_departures(directory, department, other_department):
    login_user = User.objects.create(
        username="wangxh", full_name="王小红", employee_no="20002", department=other_department
    )
    login_user.directory_dn = ldap_server.person_dn("wangxh")
    login_user.save()
    gone = User.objects.create(
        username="gone", full_name="已离职", employee_no="20009", department=department, directory_dn="uid=gone,ou=x"
    )

    report = directory_sync()

    new = User.objects.get(username="lijg")
    assert new in report.created and new.department == department and has_role(new, Role.DEPT_HEAD)
    login_user.refresh_from_db()
    assert login_user.department == department  # moved from 外科 to 内科
    transfer = Departure.objects.get(user=login_user)
    assert (transfer.kind, transfer.from_department, transfer.to_department) == (
        Departure.Kind.TRANSFER,
        other_department,
        department,
    )
    assert Departure.objects.get(user=gone, kind=Departure.Kind.DEPARTURE).reason == "该账号已不在目录中。"
    assert User.objects.filter(pk=gone.pk).exists()  # the sync never deletes
    assert not User.objects.filter(username="zhaol").exists()  # disabled before they ever had an account
    logged = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.DIRECTORY_SYNC).values_list("what", flat=True)
    assert {"李建国", "王小红", "已离职"} <= set(logged)


def test_disabling_a_known_account_opens_its_departure_once(directory, department):
    directory_sync()
    user = User.objects.get(username="lijg")
    directory.modify_person("lijg", employeeType="disabled")

    directory_sync()
    directory_sync()

    departure = Departure.objects.get(user=user)
    assert departure.kind == Departure.Kind.DEPARTURE and departure.state == Departure.State.OPEN
    assert departure.reason == "该账号已在目录中停用。"
    assert departure.opened_by.username == "directory-sync"


def test_role_given_by_the_directory_is_taken_when_the_group_drops_them(directory, make_user):
    directory_sync()
    user = User.objects.get(username="lijg")
    directory.set_group(Role.DEPT_HEAD, [])
    directory_sync()
    assert not has_role(user, Role.DEPT_HEAD)


def test_role_given_in_the_portal_stays_when_the_directory_has_none(directory, make_user):
    user = make_user("leader", username="wangxh", employee_no="20002")
    directory_sync()
    assert has_role(user, Role.LEADER)


def test_dry_run_prints_the_changes_and_makes_none(directory):
    out = io.StringIO()
    call_command("sync_directory", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "李建国" in text and "试运行" in text
    assert not User.objects.filter(username="lijg").exists()


def test_sync_with_the_directory_down_fails_and_changes_nothing(directory, settings, department):
    user = User.objects.create(
        username="gone", full_name="某人", employee_no="1", department=department, directory_dn="x"
    )
    settings.AUTH_LDAP_SERVER_URI = "ldap://127.0.0.1:9"
    settings.LDAP_TIMEOUT_SECONDS = 1
    with pytest.raises(CommandError, match="目录服务不可用"):
        call_command("sync_directory", stdout=io.StringIO())
    assert not Departure.objects.filter(user=user).exists()


def test_nightly_sync_is_scheduled_and_idle_without_a_directory(settings):
    from accounts.tasks import sync_directory

    assert settings.CELERY_BEAT_SCHEDULE["accounts-directory-sync"]["task"] == "accounts.tasks.sync_directory"
    settings.AUTH_LDAP_SERVER_URI = ""
    assert sync_directory() == "no directory configured"
