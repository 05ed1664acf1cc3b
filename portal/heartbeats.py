"""The Celery worker's and beat's heartbeats, each written by the process itself; read by /healthz and the banner.

Beat records itself when it starts and each time it publishes the heartbeat task (every minute): only beat sends
that task. The worker records itself from a timer of its consumer (``WorkerPulse``), which Celery stops while the
worker has lost the broker, so a worker process that is up but not consuming goes stale too. Neither depends on the
other: beat alive with the worker dead shows as exactly that. Both are TaskRun rows, visible wherever those are.
"""

import os
import socket
import time
from datetime import timedelta

from celery import bootsteps
from celery.signals import after_task_publish, beat_init
from django.core.cache import cache
from django.db import close_old_connections
from django.utils import timezone

from .models import TaskRun

BEAT = "portal.heartbeats.beat"
WORKER = "portal.heartbeats.worker"
HEARTBEAT_TASK = "portal.tasks.heartbeat"
WORKER_PULSE_SECONDS = 30
STALE_AFTER = timedelta(minutes=3)
# A web process that started less than this long ago says "starting", not "stale", for a heartbeat not yet seen.
STARTING_SECONDS = 60
PROCESS_STARTED = time.monotonic()
BANNER_CACHE_SECONDS = 30


def record(name):
    # Beat and the worker's timer live for days outside any request: drop a connection the database has closed.
    close_old_connections()
    try:
        TaskRun.objects.update_or_create(
            name=name,
            defaults={
                "finished_at": timezone.now(),
                "outcome": TaskRun.Outcome.OK,
                "detail": f"{socket.gethostname()} pid {os.getpid()}",
            },
        )
    finally:
        close_old_connections()


@beat_init.connect
def _beat_started(sender=None, **kwargs):
    record(BEAT)


@after_task_publish.connect(sender=HEARTBEAT_TASK)
def _beat_published(sender=None, **kwargs):
    record(BEAT)


class WorkerPulse(bootsteps.StartStopStep):
    """A consumer bootstep: record the worker's heartbeat now and every WORKER_PULSE_SECONDS while it consumes."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def __init__(self, parent, **kwargs):
        super().__init__(parent, **kwargs)
        self.timer_entry = None

    def start(self, parent):
        record(WORKER)
        self.timer_entry = parent.timer.call_repeatedly(WORKER_PULSE_SECONDS, record, (WORKER,))

    def stop(self, parent):
        if self.timer_entry is not None:
            self.timer_entry.cancel()
            self.timer_entry = None

    shutdown = stop


def last_ticks() -> dict:
    return dict(TaskRun.objects.filter(name__in=(BEAT, WORKER)).values_list("name", "finished_at"))


def status(ticks: dict) -> dict:
    """``{"beat": {...}, "worker": {...}}``, each with its last tick and "ok", "starting" or "stale"."""
    starting = time.monotonic() - PROCESS_STARTED < STARTING_SECONDS
    now = timezone.now()

    def one(name):
        tick = ticks.get(name)
        fresh = tick is not None and now - tick < STALE_AFTER
        state = "ok" if fresh else "starting" if starting else "stale"
        return {"last_tick": tick.isoformat() if tick else None, "status": state}

    return {"beat": one(BEAT), "worker": one(WORKER)}


def stopped() -> bool:
    """Whether the worker or beat has been silent too long: one query per process every BANNER_CACHE_SECONDS."""
    return cache.get_or_set(
        "portal:background-stopped",
        lambda: any(part["status"] == "stale" for part in status(last_ticks()).values()),
        BANNER_CACHE_SECONDS,
    )
