"""A real Celery worker (and beat) process, through the configured broker: filesystem:// by default, Redis in CI."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from portal.celery import app as celery_app
from portal.models import TaskRun
from portal.tasks import heartbeat

# `make test` hands a whole file to one xdist process, so these run in turn: Celery workers started side by
# side would take each other's tasks on a shared Redis.
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_env(tmp_path):
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "portal.settings", "DEBUG": "1"}
    original = dict(celery_app.conf.broker_transport_options)
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        # A broker folder of this test's own, shared by this process and the worker it starts.
        folder = tmp_path / "broker"
        env["CELERY_FILESYSTEM_BROKER_DIR"] = str(folder)
        for sub in ("queue", "control"):
            (folder / sub).mkdir(parents=True)
        celery_app.conf.broker_transport_options = {
            **original,
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "control_folder": str(folder / "control"),
        }
    celery_app.conf.task_always_eager = False
    yield env
    celery_app.conf.broker_transport_options = original


def _start(args, env, tmp_path, name):
    log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 — the worker writes to it until the test stops it
    celery = Path(sys.executable).with_name("celery")
    return subprocess.Popen(
        [str(celery), "-A", "portal", *args], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR
    )


def _wait_until_ready(worker, log, timeout=180):
    """A worker starting beside a busy test run can take a while to import everything; time the task from "ready"."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and worker.poll() is None:
        if " ready." in log.read_text():
            return
        time.sleep(0.5)
    pytest.fail("the Celery worker did not come up:\n" + log.read_text()[-3000:])


def _wait_for_tick(timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = TaskRun.objects.filter(name="portal.tasks.heartbeat", outcome="ok").first()
        if run:
            return run
        time.sleep(0.5)
    return None


def _stop(*processes):
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_real_worker_executes_a_task_sent_through_the_broker(celery_env, tmp_path):
    worker = _start(["worker", "--pool=solo", "--loglevel=INFO"], celery_env, tmp_path, "worker")
    try:
        _wait_until_ready(worker, tmp_path / "worker.log")
        with celery_app.connection_for_write() as conn:
            heartbeat.apply_async(connection=conn)
        run = _wait_for_tick(60)
    finally:
        _stop(worker)
    assert run is not None, (tmp_path / "worker.log").read_text()[-3000:]
    assert run.finished_at is not None


def test_beat_fires_the_heartbeat_on_schedule(celery_env, tmp_path):
    celery_env["HEARTBEAT_SECONDS"] = "2"
    worker = _start(["worker", "--pool=solo", "--loglevel=INFO"], celery_env, tmp_path, "worker")
    beat = None
    try:
        _wait_until_ready(worker, tmp_path / "worker.log")
        beat = _start(["beat", "--loglevel=INFO", "-s", str(tmp_path / "beat-schedule")], celery_env, tmp_path, "beat")
        run = _wait_for_tick(60)
    finally:
        _stop(*filter(None, (beat, worker)))
    assert run is not None, (tmp_path / "beat.log").read_text()[-2000:] + (tmp_path / "worker.log").read_text()[-2000:]
