"""The red banner on every page, for the IT head and the system administrator, while the worker or beat is silent."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal import heartbeats
from portal.models import TaskRun

BANNER = "后台任务已停止：提醒、升级、备份校验暂停"


@pytest.fixture(autouse=True)
def _fresh_cache_and_an_hour_of_uptime(monkeypatch):
    cache.clear()
    monkeypatch.setattr(heartbeats, "PROCESS_STARTED", time.monotonic() - 3600)
    yield
    cache.clear()


def _beats(worker_minutes_ago=0, beat_minutes_ago=0):
    for name, minutes in ((heartbeats.WORKER, worker_minutes_ago), (heartbeats.BEAT, beat_minutes_ago)):
        TaskRun.objects.create(name=name, finished_at=timezone.now() - timedelta(minutes=minutes), outcome="ok")


def _page(client, user, name="portal:notifications"):
    client.force_login(user)
    return client.get(reverse(name)).content.decode()


def test_the_it_head_sees_the_banner_on_every_page_while_the_worker_is_silent(client, make_user):
    _beats(worker_minutes_ago=10)
    it_head = make_user("it_head")
    assert BANNER in _page(client, it_head, "portal:dashboard")
    assert BANNER in _page(client, it_head, "portal:notifications")


def test_the_system_administrator_sees_it_when_beat_is_silent(client, make_user):
    _beats(beat_minutes_ago=10)
    assert BANNER in _page(client, make_user(is_superuser=True, is_staff=True))


def test_other_roles_do_not_see_it(client, make_user):
    _beats(worker_minutes_ago=10)
    for role in ("it_officer", "staff", "leader"):
        assert BANNER not in _page(client, make_user(role))


def test_no_banner_while_both_beat(client, make_user):
    _beats()
    assert BANNER not in _page(client, make_user("it_head"))


def test_no_banner_in_the_first_minute_of_a_start(client, make_user, monkeypatch):
    monkeypatch.setattr(heartbeats, "PROCESS_STARTED", time.monotonic())
    assert BANNER not in _page(client, make_user("it_head"))


def test_the_banner_goes_once_the_worker_is_back(client, make_user):
    _beats(worker_minutes_ago=10)
    it_head = make_user("it_head")
    assert BANNER in _page(client, it_head)
    TaskRun.objects.filter(name=heartbeats.WORKER).update(finished_at=timezone.now())
    cache.clear()  # what BANNER_CACHE_SECONDS does on its own
    assert BANNER not in _page(client, it_head)


def test_the_heartbeats_are_read_once_for_many_pages(client, make_user):
    _beats(worker_minutes_ago=10)
    it_head = make_user("it_head")
    client.force_login(it_head)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert BANNER in client.get(reverse("portal:notifications")).content.decode()
    assert sum("portal_taskrun" in query["sql"] for query in queries.captured_queries) == 1
