"""A real Celery worker (and beat) process, through the configured broker: filesystem:// by default, Redis in CI;
and a soak of the embedded broker, which runs on it whatever the configured broker is."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from portal import heartbeats
from portal.celery import app as celery_app
from portal.models import TaskRun
from portal.tasks import heartbeat
from tests.portal import soak_tasks

# `make test` hands a whole file to one xdist process, so these run in turn: Celery workers started side by
# side would take each other's tasks on a shared Redis.
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def reset_celery_pools():
    """Publish through a connection to the broker now configured, not one pooled by an earlier test."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


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
    reset_celery_pools()
    yield env
    celery_app.conf.broker_transport_options = original
    reset_celery_pools()


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


def _wait_for_tick(timeout, name="portal.tasks.heartbeat"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = TaskRun.objects.filter(name=name, outcome="ok").first()
        if run:
            return run
        time.sleep(0.5)
    return None


@pytest.fixture
def up_for_an_hour(monkeypatch):
    """/healthz as a web server long past its first minute reads it."""
    monkeypatch.setattr(heartbeats, "PROCESS_STARTED", time.monotonic() - 3600)


def _stop(*processes):
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_real_worker_executes_a_task_sent_through_the_broker(celery_env, tmp_path, client, up_for_an_hour):
    worker = _start(["worker", "--pool=solo", "--loglevel=INFO"], celery_env, tmp_path, "worker")
    try:
        _wait_until_ready(worker, tmp_path / "worker.log")
        with celery_app.connection_for_write() as conn:
            heartbeat.apply_async(connection=conn)
        run = _wait_for_tick(60)
        pulse = _wait_for_tick(30, heartbeats.WORKER)
        health = client.get("/healthz").json()
    finally:
        _stop(worker)
    assert run is not None, (tmp_path / "worker.log").read_text()[-3000:]
    assert run.finished_at is not None
    # The worker's own heartbeat, written by the worker process (this test, having sent the heartbeat task, stood in
    # for beat: see test_beat_alone_beats_and_the_missing_worker_shows for a worker that is missing).
    assert pulse is not None and "pid" in pulse.detail
    assert health["worker"]["status"] == "ok"


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


def test_beat_alone_beats_and_the_missing_worker_shows(celery_env, tmp_path, client, up_for_an_hour):
    beat = _start(["beat", "--loglevel=INFO", "-s", str(tmp_path / "beat-schedule")], celery_env, tmp_path, "beat")
    try:
        pulse = _wait_for_tick(120, heartbeats.BEAT)
        response = client.get("/healthz")
    finally:
        _stop(beat)
    assert pulse is not None, (tmp_path / "beat.log").read_text()[-2000:]
    body = response.json()
    assert response.status_code == 503
    assert (body["beat"]["status"], body["worker"]["status"], body["status"]) == ("ok", "stale", "down")


@pytest.fixture
def embedded_env(tmp_path):
    """The embedded broker in a folder of this test's own, whatever CELERY_BROKER_URL says (CI's last pass: Redis)."""
    folder = tmp_path / "broker"
    for sub in ("queue", "control"):
        (folder / sub).mkdir(parents=True)
    (tmp_path / "runs").mkdir()
    return {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "1",
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_FILESYSTEM_BROKER_DIR": str(folder),
        "HEARTBEAT_SECONDS": "2",
        "SOAK_RUNS_DIR": str(tmp_path / "runs"),
    }


@pytest.mark.skipif(
    os.environ.get("CELERY_BROKER_URL", "").startswith("redis"),
    reason="the soak measures the embedded broker, which production's pass (Redis) does not run",
)
def test_thousands_of_tasks_pass_the_embedded_broker_while_others_write_none_lost_none_twice(embedded_env, tmp_path):
    total, writers = 2000, 2
    share = total // writers
    args = ["worker", "--concurrency=2", "--loglevel=INFO", f"--include={soak_tasks.__name__}"]
    worker = _start(args, embedded_env, tmp_path, "worker")
    beat, senders = None, []
    try:
        _wait_until_ready(worker, tmp_path / "worker.log")
        beat = _start(
            ["beat", "--loglevel=INFO", "-s", str(tmp_path / "beat-schedule")], embedded_env, tmp_path, "beat"
        )
        # Writers of their own, sending while the worker drains and beat sends a heartbeat every other second.
        started = time.monotonic()
        for i in range(writers):
            code = f"import django; django.setup(); from {soak_tasks.__name__} import send; send({i * share}, {(i + 1) * share})"
            senders.append(subprocess.Popen([sys.executable, "-c", code], env=embedded_env, cwd=settings.BASE_DIR))
        while (
            time.monotonic() - started < 300
            and worker.poll() is None
            and len(soak_tasks.runs(tmp_path / "runs")) < total
        ):
            time.sleep(1)
        sent = [sender.wait(timeout=60) for sender in senders]
        elapsed = time.monotonic() - started
        time.sleep(3)  # a message delivered twice would run by now
        alive, runs = worker.poll() is None, soak_tasks.runs(tmp_path / "runs")
    finally:
        _stop(*filter(None, (beat, *senders, worker)))
    log = (tmp_path / "worker.log").read_text()
    assert sent == [0] * writers
    assert alive and "Unrecoverable error" not in log, log[-3000:]
    assert (len(runs), sorted(set(runs))) == (total, list(range(total))), f"{len(runs)} runs in {elapsed:.0f} s"
    assert not [path.name for path in (tmp_path / "broker" / "queue").iterdir() if not path.name.endswith(".msg")]
    assert TaskRun.objects.get(name="portal.tasks.heartbeat").outcome == "ok"
    assert TaskRun.objects.filter(name__in=(heartbeats.BEAT, heartbeats.WORKER)).count() == 2
