from datetime import timedelta

import pytest
from django.utils import timezone

from portal.celery import app as celery_app
from portal.models import TaskRun
from portal.tasks import heartbeat


def test_healthz_ok_after_a_beat_tick(client, db):
    heartbeat.delay()
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["beat"]["status"] == "ok"
    assert body["beat"]["last_tick"]


def test_healthz_503_when_beat_has_not_ticked(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["beat"] == {"last_tick": None, "status": "stale"}


def test_healthz_503_when_the_last_tick_is_old(client, db):
    TaskRun.objects.create(
        name="portal.tasks.heartbeat", finished_at=timezone.now() - timedelta(minutes=10), outcome="ok"
    )
    assert client.get("/healthz").status_code == 503


@pytest.fixture
def broken_broker():
    original = celery_app.conf.broker_write_url
    celery_app.conf.broker_write_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    yield
    celery_app.conf.broker_write_url = original


def test_healthz_503_when_the_broker_is_down(client, db, broken_broker):
    heartbeat.delay()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("down")
