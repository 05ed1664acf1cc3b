import time
from datetime import timedelta

import pytest
from celery.signals import after_task_publish
from django.utils import timezone

from portal import heartbeats
from portal.celery import app as celery_app
from portal.models import TaskRun


@pytest.fixture
def running_for_an_hour(monkeypatch):
    monkeypatch.setattr(heartbeats, "PROCESS_STARTED", time.monotonic() - 3600)


@pytest.fixture
def just_started(monkeypatch):
    monkeypatch.setattr(heartbeats, "PROCESS_STARTED", time.monotonic() - 5)


def _pulse(name, minutes_ago=0):
    TaskRun.objects.update_or_create(
        name=name, defaults={"finished_at": timezone.now() - timedelta(minutes=minutes_ago), "outcome": "ok"}
    )


def test_healthz_ok_when_beat_and_the_worker_have_both_beaten(client, db, running_for_an_hour):
    _pulse(heartbeats.BEAT)
    _pulse(heartbeats.WORKER)
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert (body["status"], body["database"], body["broker"]) == ("ok", "ok", "ok")
    assert body["beat"]["status"] == body["worker"]["status"] == "ok"
    assert body["beat"]["last_tick"] and body["worker"]["last_tick"]


def test_healthz_says_starting_in_the_first_minute_before_any_heartbeat(client, db, just_started):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "starting"
    assert body["beat"] == body["worker"] == {"last_tick": None, "status": "starting"}


def test_healthz_down_after_the_first_minute_without_a_heartbeat(client, db, running_for_an_hour):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "down"
    assert body["beat"] == body["worker"] == {"last_tick": None, "status": "stale"}


def test_healthz_tells_a_dead_worker_beside_a_live_beat(client, db, running_for_an_hour):
    _pulse(heartbeats.BEAT)
    _pulse(heartbeats.WORKER, minutes_ago=10)
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "down"
    assert body["beat"]["status"] == "ok"
    assert body["worker"]["status"] == "stale"


def test_a_heartbeat_left_from_the_last_run_reads_starting_in_the_first_minute(client, db, just_started):
    _pulse(heartbeats.BEAT)
    _pulse(heartbeats.WORKER)
    TaskRun.objects.filter(name=heartbeats.WORKER).update(finished_at=timezone.now() - timedelta(minutes=10))
    body = client.get("/healthz").json()
    assert body["worker"]["status"] == "starting"  # the worker may be on its way up too: give it the minute
    assert body["status"] == "starting"


# Transactional: beat records its heartbeat outside any transaction, dropping stale connections first.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publishing_the_heartbeat_task_is_beats_heartbeat_and_other_tasks_are_not():
    after_task_publish.send(sender="repairs.tasks.escalate_breaches", body=None, exchange="", routing_key="celery")
    assert not TaskRun.objects.filter(name=heartbeats.BEAT).exists()
    after_task_publish.send(sender=heartbeats.HEARTBEAT_TASK, body=None, exchange="", routing_key="celery")
    tick = TaskRun.objects.get(name=heartbeats.BEAT).finished_at
    assert timezone.now() - tick < timedelta(seconds=5)


@pytest.fixture
def broken_broker():
    # The raw setting, not the property: that falls back to broker_url, and writing it back would pin the URL.
    original = celery_app.conf.get("broker_write_url"), celery_app.conf.broker_transport
    # A Redis on port 1, where nothing listens (the embedded broker's transport must not take this URL).
    celery_app.conf.broker_write_url, celery_app.conf.broker_transport = "redis://127.0.0.1:1/0", None
    yield
    celery_app.conf.broker_write_url, celery_app.conf.broker_transport = original


def test_healthz_503_when_the_broker_is_down(client, db, broken_broker, running_for_an_hour):
    _pulse(heartbeats.BEAT)
    _pulse(heartbeats.WORKER)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("down")
    assert response.json()["status"] == "down"
