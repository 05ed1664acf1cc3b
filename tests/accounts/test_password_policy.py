"""Password policy (issues 15, 16; 001 一(四)5): length, character classes, no reuse, expiry with a forced change."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD
from accounts.models import PasswordHistory
from accounts.validators import CharacterClassesValidator, MinimumLengthValidator, PasswordHistoryValidator

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
EXPIRED = "密码已超过90天未更换，请先修改密码（001 一(四)5）。"
PASSWORDS = ["Ward-Round-1", "Ward-Round-2", "Ward-Round-3", "Ward-Round-4", "Ward-Round-5", "Ward-Round-6"]


def refused(validator, password, user=None):
    with pytest.raises(ValidationError) as caught:
        validator.validate(password, user)
    return caught.value.messages[0]


@pytest.fixture
def expiry(settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90


@pytest.fixture
def user(make_user):
    with time_machine.travel(START, tick=False):
        return make_user("staff", username="wang")


def visit(client, user, days, url="/"):
    with time_machine.travel(START + datetime.timedelta(days=days), tick=False):
        client.force_login(user)
        return client.get(url)


def test_policy_defaults():
    from portal import settings as portal_settings

    assert portal_settings.PASSWORD_MAX_AGE_DAYS == 90
    assert portal_settings.PASSWORD_MIN_LENGTH == 8
    assert portal_settings.PASSWORD_MIN_CLASSES == 3
    assert portal_settings.PASSWORD_HISTORY == 5


def test_length_is_configurable(settings):
    MinimumLengthValidator().validate("Ward-7rq")
    assert refused(MinimumLengthValidator(), "Ward-7r") == "密码太短：至少 8 个字符。"
    settings.PASSWORD_MIN_LENGTH = 12
    assert refused(MinimumLengthValidator(), "Ward-7rq") == "密码太短：至少 12 个字符。"


def test_three_of_four_character_classes_configurable(settings):
    validator = CharacterClassesValidator()
    for weak in ("wardround", "wardround7", "WARD-ROUND", "12345678-"):
        assert refused(validator, weak) == "密码须包含小写字母、大写字母、数字、符号四类字符中的至少 3 类。"
    for strong in ("Wardround7", "wardround-7", "WARD-ROUND7", DEMO_PASSWORD):
        validator.validate(strong)
    settings.PASSWORD_MIN_CLASSES = 4
    assert "至少 4 类" in refused(validator, "Wardround7")
    validator.validate("Ward-round7")


def change_through_the_portal(user, *passwords):
    for password in passwords:
        validate_password(password, user)
        user.set_password(password)
        user.save()


def test_the_last_five_passwords_are_not_reused_the_sixth_is(user):
    change_through_the_portal(user, *PASSWORDS)  # the current password is the last
    validator = PasswordHistoryValidator()
    message = "新密码不能与最近 5 次使用过的密码（含当前密码）相同。"
    assert refused(validator, PASSWORDS[-1], user) == message  # current
    assert refused(validator, PASSWORDS[1], user) == message  # 4th previous
    validator.validate(PASSWORDS[0], user)  # 5th previous
    validator.validate("Ward-Round-7", user)


def test_history_length_is_configurable(settings, user):
    change_through_the_portal(user, *PASSWORDS)
    settings.PASSWORD_HISTORY = 2
    refused(PasswordHistoryValidator(), PASSWORDS[-2], user)
    PasswordHistoryValidator().validate(PASSWORDS[-3], user)
    settings.PASSWORD_HISTORY = 0
    PasswordHistoryValidator().validate(PASSWORDS[-1], user)


def test_a_password_set_before_the_history_was_kept_counts_as_current(user):
    assert not PasswordHistory.objects.filter(user=user).exists()
    refused(PasswordHistoryValidator(), DEMO_PASSWORD, user)


def test_setting_a_password_stamps_its_time_and_keeps_only_its_hash(user):
    with time_machine.travel(START + datetime.timedelta(days=10), tick=False):
        user.set_password("Ward-Round-1")
        user.save(update_fields=["password"])
    user.refresh_from_db()
    assert user.password_changed_at == START + datetime.timedelta(days=10)
    entry = PasswordHistory.objects.get(user=user)
    assert entry.password == user.password
    assert "Ward-Round-1" not in entry.password
    assert entry.changed_at == user.password_changed_at


def test_password_history_is_append_only(user):
    change_through_the_portal(user, "Ward-Round-1")
    entry = PasswordHistory.objects.get(user=user)
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        PasswordHistory.objects.filter(user=user).delete()


def test_change_form_shows_the_rules_next_to_the_field_in_chinese(client, user):
    client.force_login(user)
    url = reverse("password_change")
    for new, message in (
        ("wardround77", "密码须包含小写字母、大写字母、数字、符号四类字符中的至少 3 类。"),
        (DEMO_PASSWORD, "新密码不能与最近 5 次使用过的密码（含当前密码）相同。"),
    ):
        response = client.post(url, {"old_password": DEMO_PASSWORD, "new_password1": new, "new_password2": new})
        assert response.status_code == 200
        assert message in response.context["form"].errors["new_password2"]
        assert message in response.content.decode()


def test_admin_set_password_form_applies_the_rules_in_chinese(client, make_user, user):
    client.force_login(make_user(is_superuser=True, is_staff=True, employee_no=None))
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    data = {"password1": DEMO_PASSWORD, "password2": DEMO_PASSWORD, "usable_password": "true"}
    assert "新密码不能与最近 5 次使用过的密码（含当前密码）相同。" in client.post(url, data).content.decode()
    data.update(password1="wardround77", password2="wardround77")
    assert "至少 3 类" in client.post(url, data).content.decode()


def test_an_expired_password_sends_every_page_to_the_change_page(client, expiry, user):
    for url in ("/", reverse("accounts:user_detail", args=[user.pk]), "/admin/"):
        response = visit(client, user, 91, url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("password_change")
    with time_machine.travel(START + datetime.timedelta(days=91), tick=False):
        response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("password_change")
    assert EXPIRED in response.content.decode()


def test_not_before_the_password_is_older_than_the_interval(client, expiry, user):
    assert visit(client, user, 89).status_code == 200
    assert visit(client, user, 90).status_code == 200


def test_the_interval_is_configurable_and_zero_never_expires(client, settings, user):
    settings.PASSWORD_MAX_AGE_DAYS = 30
    response = visit(client, user, 31)
    assert response["Location"] == reverse("password_change")
    with time_machine.travel(START + datetime.timedelta(days=31), tick=False):
        assert "密码已超过30天未更换" in client.get(reverse("password_change")).content.decode()
    settings.PASSWORD_MAX_AGE_DAYS = 0
    assert visit(client, user, 1000).status_code == 200


def test_change_page_logout_language_and_static_files_stay_reachable(client, expiry, user):
    assert visit(client, user, 91, reverse("password_change")).status_code == 200
    with time_machine.travel(START + datetime.timedelta(days=91), tick=False):
        response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
        assert response["Location"] == "/"
        assert client.get("/static/css/portal.css").status_code != 302
        response = client.post(reverse("logout"))
        assert response["Location"] == reverse("login")


def test_changing_the_password_lifts_the_redirect(client, expiry, user):
    with time_machine.travel(START + datetime.timedelta(days=91), tick=False):
        client.force_login(user)
        data = {"old_password": DEMO_PASSWORD, "new_password1": "Ward-Round-1", "new_password2": "Ward-Round-1"}
        response = client.post(reverse("password_change"), data)
        assert response["Location"] == reverse("portal:dashboard")
        assert client.get("/").status_code == 200
    user.refresh_from_db()
    assert visit(client, user, 91 + 89).status_code == 200
    assert visit(client, user, 91 + 91).status_code == 302


def test_directory_logins_are_exempt_the_system_administrator_is_not(client, expiry, make_user, user):
    user.set_unusable_password()
    user.save()
    assert visit(client, user, 91).status_code == 200
    with time_machine.travel(START, tick=False):
        sysadmin = make_user(is_superuser=True, is_staff=True, employee_no=None)
    assert visit(client, sysadmin, 91, "/admin/")["Location"] == reverse("password_change")


def test_a_week_before_expiry_the_first_page_warns_once(client, expiry, user):
    assert "您的密码将于" not in visit(client, user, 82).content.decode()
    client.logout()
    with time_machine.travel(START + datetime.timedelta(days=84), tick=False):
        client.force_login(user)
        assert "您的密码将于 2026-05-31 09:00 到期，请在此之前修改密码。" in client.get("/").content.decode()
        assert "您的密码将于" not in client.get("/").content.decode()


def test_user_page_shows_when_the_password_changed_and_expires(client, settings, expiry, user):
    response = visit(client, user, 1, user.get_absolute_url())
    text = response.content.decode()
    assert "上次修改密码" in text
    assert "2026-03-02 09:00" in text
    assert "2026-05-31 09:00" in text
    settings.PASSWORD_MAX_AGE_DAYS = 0
    assert "不过期" in visit(client, user, 1, user.get_absolute_url()).content.decode()


def test_demo_password_passes_the_policy():
    validate_password(DEMO_PASSWORD)
