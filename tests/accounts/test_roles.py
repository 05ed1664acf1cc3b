"""Roles are given and taken on the portal's role page by the IT head, with a reason, recorded append-only,
and refused when one person would hold incompatible roles (003 (八)14); every login has its 工号 (000 保密制度 6)."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.models import Agreement, RoleChange, User
from accounts.services import role_change
from portal.exceptions import ActionRefused
from portal.people import people as active_people
from portal.roles import INCOMPATIBLE_ROLES, Role, has_role
from tests.permissions import assert_permission_matrix


def signed(user):
    """``user`` signed the confidentiality agreement (000 保密制度 7), as asked before an IT role."""
    Agreement.objects.create(
        signatory=user, kind=Agreement.Kind.CONFIDENTIALITY, signed_on=date(2025, 12, 1), recorded_by=user
    )
    return user


CREATE = reverse("accounts:role_change_create")


def _give(client, user, role, reason="岗位调整", change="give"):
    return client.post(CREATE, {"user": user.pk, "role": role, "change": change, "reason": reason}, follow=True)


def _roles(user):
    return set(user.groups.values_list("name", flat=True))


def test_only_the_it_head_opens_the_role_page_and_the_conflicts(client, people, make_user):
    sysadmin = make_user(is_superuser=True, is_staff=True)
    others = [people.officer, people.dba, people.auditor, people.leader, people.hr, people.staff, sysadmin]
    for url in (CREATE, reverse("accounts:role_conflict_list")):
        assert_permission_matrix(client, url, allowed=[people.it_head], forbidden=others)
    assert_permission_matrix(
        client,
        CREATE,
        method="post",
        data={"user": people.staff.pk, "role": Role.DBA, "change": "give", "reason": "越权"},
        forbidden=others,
    )
    assert not has_role(people.staff, Role.DBA) and not RoleChange.objects.exists()
    assert_permission_matrix(
        client,
        reverse("accounts:role_change_list"),
        allowed=[people.it_head, people.auditor, people.leader],
        forbidden=[people.officer, people.staff, sysadmin],
    )


def test_the_it_head_gives_and_takes_a_role_with_its_reason_and_both_are_recorded(client, people):
    client.force_login(people.it_head)
    page = _give(client, people.staff, Role.SECRECY_REVIEWER, reason="兼任本科室保密审查")
    assert page.redirect_chain[-1][0] == people.staff.get_absolute_url()
    assert Role.SECRECY_REVIEWER in _roles(people.staff)
    text = page.content.decode()
    assert "兼任本科室保密审查" in text and "授予" in text and "保密审查员" in text
    _give(client, people.staff, Role.SECRECY_REVIEWER, reason="调岗", change="take")
    assert Role.SECRECY_REVIEWER not in _roles(people.staff)
    given, taken = RoleChange.objects.order_by("pk")
    assert (given.user, given.role, given.change, given.changed_by) == (
        people.staff,
        Role.SECRECY_REVIEWER,
        RoleChange.Change.GIVEN,
        people.it_head,
    )
    assert (taken.change, taken.reason) == (RoleChange.Change.TAKEN, "调岗")
    listing = client.get(reverse("accounts:role_change_list")).content.decode()
    assert "兼任本科室保密审查" in listing and "调岗" in listing


def test_a_role_change_needs_a_reason(client, people):
    client.force_login(people.it_head)
    page = _give(client, people.staff, Role.HR, reason="")
    assert page.status_code == 200 and "这个字段是必填项" in page.content.decode()
    with pytest.raises(ActionRefused, match="理由"):
        role_change(user=people.staff, role=Role.HR, give=True, reason="  ", by=people.it_head)
    assert Role.HR not in _roles(people.staff) and not RoleChange.objects.exists()


def test_whoever_grants_roles_gives_or_takes_none_of_their_own(client, people):
    client.force_login(people.it_head)
    for role, change in ((Role.LEADER, "give"), (Role.IT_HEAD, "take")):
        text = _give(client, people.it_head, role, change=change).content.decode()
        assert "按《保密制度》（八）14：授予角色的人不得为自己授予或收回角色。" in text
    assert _roles(people.it_head) == {Role.IT_HEAD} and not RoleChange.objects.exists()


@pytest.mark.parametrize("first, second", INCOMPATIBLE_ROLES)
def test_the_auditor_holds_no_it_role_and_is_not_the_secrecy_reviewer(client, make_user, people, first, second):
    holder, other = make_user(first), make_user(second)
    client.force_login(people.it_head)
    for user, role in ((holder, second), (other, first)):
        text = _give(client, user, role).content.decode()
        labels = {str(Role(first).label), str(Role(second).label)}
        assert "按《保密制度》（八）14：" in text and all(label in text for label in labels), text
        assert role not in _roles(user)
    assert not RoleChange.objects.exists()


def test_the_system_administrator_holds_no_business_role(client, make_user, people):
    sysadmin = make_user(is_superuser=True, is_staff=True, username="sysadmin", employee_no=None)
    client.force_login(people.it_head)
    text = _give(client, sysadmin, Role.STAFF).content.decode()
    assert "系统管理员（后台管理账号）不担任业务角色" in text
    assert not _roles(sysadmin)


def test_a_login_without_its_employee_number_is_given_no_role(client, make_user, people):
    nameless = make_user(employee_no=None, full_name="无工号")
    client.force_login(people.it_head)
    text = _give(client, nameless, Role.STAFF).content.decode()
    assert "按《医院信息系统保密制度》第6条" in text and "工号" in text
    assert not _roles(nameless)


def test_a_role_change_cannot_be_edited_or_removed(people):
    change = role_change(user=people.staff, role=Role.HR, give=True, reason="借调人事科", by=people.it_head)
    change.reason = "改过"
    for attempt in (change.save, change.delete, RoleChange.objects.all().delete):
        with pytest.raises(ValueError, match="append-only"):
            attempt()
    with pytest.raises(ValueError, match="append-only"):
        RoleChange.objects.update(reason="改过")
    assert RoleChange.objects.get().reason == "借调人事科"


def test_the_user_page_shows_their_role_changes_and_the_it_head_a_link_to_change_them(client, people):
    role_change(user=people.staff, role=Role.HR, give=True, reason="借调人事科", by=people.it_head)
    client.force_login(people.staff)
    own = client.get(people.staff.get_absolute_url()).content.decode()
    assert "借调人事科" in own and 'data-testid="change-roles"' not in own
    client.force_login(people.it_head)
    theirs = client.get(people.staff.get_absolute_url()).content.decode()
    assert "借调人事科" in theirs and f"{CREATE}?user={people.staff.pk}" in theirs


def test_conflicting_logins_and_logins_without_a_number_are_listed_for_the_it_head(client, make_user, people):
    both = make_user("auditor", "dba", full_name="兼任者")
    admin_with_role = make_user("staff", is_superuser=True, full_name="带角色的管理员")
    nameless = make_user("staff", employee_no=None, full_name="无工号")
    client.force_login(people.it_head)
    listing = client.get(reverse("accounts:role_conflict_list")).content.decode()
    for user in (both, admin_with_role, nameless):
        assert user.full_name in listing and f"?user={user.pk}" in listing
    assert "纪检监察与系统及数据库管理员应由不同人员担任" in listing
    assert "账号须登记本人工号" in listing
    assert people.officer.full_name not in listing
    assert reverse("accounts:role_conflict_list") in client.get(reverse("accounts:role_change_list")).content.decode()


def test_a_login_without_an_employee_number_cannot_sign_in_and_the_page_says_why(client, make_user):
    make_user("staff", username="shared", employee_no=None)
    response = client.post("/login/", {"username": "shared", "password": "Demo-2026"})
    assert response.status_code == 200
    assert "按《医院信息系统保密制度》第6条" in response.content.decode() and "未登记工号" in response.content.decode()
    assert "_auth_user_id" not in client.session
    make_user(username="sysadmin", employee_no=None, is_superuser=True, is_staff=True)
    assert client.post("/login/", {"username": "sysadmin", "password": "Demo-2026"}).status_code == 302


def test_a_user_is_not_valid_without_an_employee_number_unless_the_system_administrator(make_user):
    user = make_user("staff", employee_no=None)
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "employee_no" in error.value.message_dict
    user.is_superuser = True
    user.full_clean()


def test_the_demo_has_no_business_superuser_a_separate_system_administrator_and_a_role_change(client, db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.filter(username__in=Role.values, is_superuser=True).exists()
    assert not User.objects.filter(username__in=Role.values, is_staff=True).exists()
    sysadmin = User.objects.get(username="sysadmin")
    assert sysadmin.is_superuser and sysadmin.is_staff and not sysadmin.groups.exists()
    assert not active_people().filter(is_superuser=False, employee_no__isnull=True).exists()
    change = RoleChange.objects.get()
    assert (change.changed_by.username, change.user.username, change.role) == ("it_head", "dept_head", Role.STAFF)
    assert client.post("/login/", {"username": "sysadmin", "password": "Demo-2026"}).status_code == 302


def test_the_system_administrator_appoints_only_the_first_it_head_and_it_is_recorded(make_user):
    sysadmin = make_user(username="sysadmin", employee_no=None, is_superuser=True, is_staff=True)
    chen, officer = make_user(full_name="陈志强", username="chen"), make_user("it_officer")
    with pytest.raises(CommandError, match="系统管理员"):
        call_command("appoint_it_head", "chen", by=officer.username, reason="院发〔2026〕3号", stdout=io.StringIO())
    with pytest.raises(CommandError, match="保密协议"):
        call_command("appoint_it_head", "chen", by="sysadmin", reason="院发〔2026〕3号", stdout=io.StringIO())
    assert Role.IT_HEAD not in _roles(chen)
    appoint = {"by": "sysadmin", "reason": "院发〔2026〕3号", "agreement_signed_on": date(2025, 12, 1)}
    call_command("appoint_it_head", "chen", **appoint, stdout=io.StringIO())
    assert Role.IT_HEAD in _roles(chen)
    assert Agreement.objects.get(signatory=chen).kind == Agreement.Kind.CONFIDENTIALITY
    change = RoleChange.objects.get()
    assert (change.user, change.role, change.changed_by, change.reason) == (
        chen,
        Role.IT_HEAD,
        sysadmin,
        "院发〔2026〕3号",
    )
    with pytest.raises(CommandError, match="医院已有信息科主任"):
        call_command("appoint_it_head", officer.username, by="sysadmin", reason="再任命", stdout=io.StringIO())
    assert Role.IT_HEAD not in _roles(officer) and RoleChange.objects.count() == 1


def test_an_it_role_is_given_only_after_the_confidentiality_agreement_is_signed(client, people):
    client.force_login(people.it_head)
    text = _give(client, people.staff, Role.DBA).content.decode()
    assert "信息系统保密" in text and Role.DBA not in _roles(people.staff)
    signed(people.staff)
    _give(client, people.staff, Role.DBA)
    assert Role.DBA in _roles(people.staff) and RoleChange.objects.get().role == Role.DBA
