import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.models import Delegation, User
from portal.roles import Role, has_role


def test_login_page_is_in_chinese(client, db):
    response = client.get("/login/")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'lang="zh-CN"' in text
    assert "登录" in text
    assert "用户名" in text


def test_wrong_password_and_unknown_user_get_the_same_message(client, make_user):
    make_user("staff", username="wang")
    wrong_password = client.post("/login/", {"username": "wang", "password": "nope"}).content.decode()
    unknown_user = client.post("/login/", {"username": "nobody", "password": "nope"}).content.decode()
    assert "用户名或密码不正确。" in wrong_password
    assert "用户名或密码不正确。" in unknown_user
    assert 'value="wang"' in wrong_password  # what was typed is kept


def test_account_locks_after_repeated_failures_and_says_when(client, make_user):
    make_user("staff", username="wang")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "wang", "password": "wrong"})
    response = client.post("/login/", {"username": "wang", "password": "Demo-2026"})
    assert response.status_code == 429
    text = response.content.decode()
    assert "账号已锁定" in text
    assert "之后重试" in text


def test_successful_login_lands_on_dashboard(client, make_user):
    make_user("staff", username="wang", full_name="王小红")
    response = client.post("/login/", {"username": "wang", "password": "Demo-2026"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:dashboard")
    assert "您好，王小红" in response.content.decode()


def test_session_expires_after_idle_timeout(client, make_user):
    client.force_login(make_user("staff"))
    client.get("/")
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert client.session.get_expiry_age() == 30 * 60


def test_password_change_validates(client, make_user):
    user = make_user("staff")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "Demo-2026", "new_password1": "123", "new_password2": "123"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "密码太短：至少 8 个字符。" in text
    assert "密码只包含数字。" in text
    response = client.post(
        reverse("password_change"),
        {"old_password": "Demo-2026", "new_password1": "Hospital-Safe-77", "new_password2": "Hospital-Safe-77"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Hospital-Safe-77")


def test_nine_roles_exist_as_groups(db):
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


def test_seed_demo_creates_one_login_per_role_and_is_idempotent(client, db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    for role in Role:
        user = User.objects.get(username=role.value)
        assert has_role(user, role.value)
        response = client.post("/login/", {"username": role.value, "password": "Demo-2026"})
        assert response.status_code == 302, role
        client.logout()
    assert User.objects.filter(username__in=[r.value for r in Role]).count() == 9
    assert Delegation.objects.get().deputy.username == "zhaolei"  # 内科's head is away this week


def test_seed_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")


def test_user_page_permissions(client, make_user, other_department):
    from tests.permissions import assert_permission_matrix

    member = make_user("staff")
    head = make_user("dept_head")
    outsider = make_user("staff", department=other_department)
    it = make_user("it_officer")
    assert_permission_matrix(client, member.get_absolute_url(), allowed=[member, head, it], hidden=[outsider])
