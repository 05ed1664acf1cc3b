"""Log-in lockout behind the hospital's reverse proxy (issue 12), through the real log-in form."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client, RequestFactory

from portal.client_ip import client_ip

PASSWORD = "Demo-2026"
PROXY = "10.0.0.1"
MONDAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def log_in(username, password=PASSWORD, address=PROXY, **headers):
    return Client().post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def fail(username, times, address=PROXY, **headers):
    for _ in range(times):
        log_in(username, "wrong", address, **headers)


@pytest.fixture
def staff(make_user):
    for role, username in (("hr", "hr"), ("staff", "staff"), ("it_head", "it_head")):
        make_user(role, username=username)


def assert_locked(response, limit=5):
    assert response.status_code == 429
    text = response.content.decode()
    assert "账号已锁定" in text
    assert f"登录失败次数过多（{limit} 次）" in text


def test_five_failures_lock_that_user_at_that_address_but_not_colleagues_behind_it(staff):
    fail("hr", 5)
    assert_locked(log_in("hr"))
    assert log_in("staff").status_code == 302
    assert log_in("it_head").status_code == 302


def test_a_locked_user_name_still_logs_in_from_another_address(staff):
    fail("hr", 5, address="10.0.0.7")
    assert_locked(log_in("hr", address="10.0.0.7"))
    assert log_in("hr", address="10.0.0.8").status_code == 302


def test_four_failures_do_not_lock_and_a_success_clears_them(staff):
    fail("hr", 4)
    assert log_in("hr").status_code == 302
    fail("hr", 4)
    assert log_in("hr").status_code == 302


def test_a_user_name_locks_everywhere_after_more_failures_from_many_addresses(staff, settings):
    settings.LOGIN_USER_FAILURE_LIMIT = 12
    for address in ("10.0.1.1", "10.0.1.2", "10.0.1.3"):
        fail("hr", 4, address=address)  # under the per-address limit each time
    response = log_in("hr", address="10.0.9.9")
    assert_locked(response, limit=12)
    assert log_in("staff", address="10.0.1.1").status_code == 302


def test_attempts_while_locked_do_not_push_the_unlock_time_back(staff):
    with time_machine.travel(MONDAY, tick=False):
        fail("hr", 5)
    with time_machine.travel(MONDAY + datetime.timedelta(minutes=10), tick=False):
        fail("hr", 3)
        response = log_in("hr")
        assert_locked(response)
        assert "2026-03-02 09:15" in response.content.decode()
    with time_machine.travel(MONDAY + datetime.timedelta(minutes=16), tick=False):
        assert log_in("hr").status_code == 302


def test_without_a_trusted_proxy_a_forged_forwarded_address_does_not_escape_the_lock(staff):
    for n in range(5):
        log_in("hr", "wrong", address="10.0.0.9", HTTP_X_FORWARDED_FOR=f"192.168.7.{n}")
    assert_locked(log_in("hr", address="10.0.0.9", HTTP_X_FORWARDED_FOR="192.168.7.99"))


def test_behind_a_trusted_proxy_two_users_lock_only_their_own_desk(staff, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    fail("hr", 5, HTTP_X_FORWARDED_FOR="192.168.5.10")
    assert_locked(log_in("hr", HTTP_X_FORWARDED_FOR="192.168.5.10"))
    # A forged left-most hop does not move the attempt to another desk.
    assert_locked(log_in("hr", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.168.5.10"))
    assert log_in("hr", HTTP_X_FORWARDED_FOR="192.168.5.11").status_code == 302
    assert log_in("staff", HTTP_X_FORWARDED_FOR="192.168.5.10").status_code == 302


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("10.0.0.1", "", "10.0.0.1"),
        ("10.0.0.1", "192.168.5.10", "192.168.5.10"),
        ("10.0.0.1", "1.2.3.4, 192.168.5.10", "192.168.5.10"),
        ("10.0.0.1", "192.168.5.10, 10.0.0.2", "192.168.5.10"),  # two proxies of ours
        ("10.0.0.1", "not-an-address", "10.0.0.1"),
        ("172.16.0.5", "192.168.5.10", "172.16.0.5"),  # not a proxy of ours: its header is ignored
    ],
)
def test_client_address_believes_only_trusted_proxies(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_client_address_ignores_forwarded_for_by_default(settings):
    settings.TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.168.5.10")
    assert client_ip(request) == "10.0.0.1"
