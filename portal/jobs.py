"""Background jobs that are never lost (issue 13): queued on commit, kept while the broker is down, swept when lost.

``enqueue`` sends a task once the transaction commits. With the broker down the action still succeeds: the job's row
stays pending, the task is kept as a DeferredTask, and a page that asked for it (``deferral_notice``) says it will run
once the broker is back. The beat's ``portal.tasks.sweep_jobs`` sends the deferred tasks again, and re-queues once
each job whose worker was lost: the embedded broker forgets the message a SIGKILLed worker held, and Redis gives it
back only after its visibility timeout. A job lost a second time is marked failed. Each task claims its row
(``claim``), so a message delivered twice runs the job once.
"""

import logging
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from celery import current_app
from django.contrib import messages
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import KombuError
from redis.exceptions import ConnectionError as RedisConnectionError

from .models import DeferredTask

logger = logging.getLogger(__name__)

BROKER_ERRORS = (KombuError, RedisConnectionError)
BROKER_DOWN = _(
    "Registered; background tasks are unavailable for now and it will run automatically once they are back."
)
# A lost job is one still waiting this long after its task's hard time limit.
GRACE = timedelta(minutes=5)

_notice_request = ContextVar("notice_request", default=None)


@contextmanager
def deferral_notice(request):
    """Tasks queued inside this block that the broker refuses tell the user so on the next page."""
    token = _notice_request.set(request)
    try:
        yield
    finally:
        _notice_request.reset(token)


def enqueue(task, *args):
    """Send ``task(*args)`` once the current transaction commits; with the broker down, keep it for the sweep."""
    transaction.on_commit(partial(send, task.name, list(args), request=_notice_request.get()))


def send(name: str, args: list, *, request=None) -> bool:
    try:
        current_app.tasks[name].apply_async(args=args, retry_policy={"max_retries": 1})
    except BROKER_ERRORS:
        logger.warning("Broker unavailable: %s%s kept for the job sweep", name, tuple(args), exc_info=True)
        DeferredTask.objects.create(name=name, args=args)
        if request is not None:
            messages.warning(request, BROKER_DOWN)
        return False
    return True


@dataclass(frozen=True)
class Job:
    """A kind of background job with a row: the statuses it waits in, and what marks it failed."""

    task: object  # the Celery task that runs it, called with the row's pk
    queryset: Callable[[], models.QuerySet]
    status_field: str
    queued: str  # the status a queued job waits in
    running: str
    fail: Callable[[models.Model], None]

    def lost(self):
        """Rows queued or running past the task's hard time limit, with no deferred task that will send them."""
        deadline = timezone.now() - timedelta(seconds=self.task.time_limit) - GRACE
        deferred = {
            tuple(args) for args in DeferredTask.objects.filter(name=self.task.name).values_list("args", flat=True)
        }
        waiting = {f"{self.status_field}__in": [self.queued, self.running]}
        return [
            row for row in self.queryset().filter(attempted_at__lt=deadline, **waiting) if (row.pk,) not in deferred
        ]


JOBS: list[Job] = []


def register(job: Job) -> Job:
    JOBS.append(job)
    return job


def claim(job: Job, pk) -> bool:
    """The task takes its queued row, once: a second delivery of the same message finds it taken."""
    return bool(
        job.queryset()
        .filter(pk=pk, **{job.status_field: job.queued})
        .update(**{job.status_field: job.running, "attempted_at": timezone.now()})
    )


def sweep() -> dict:
    """Send what the broker refused, then re-queue each lost job once and fail it when it is lost again."""
    current_app.loader.import_default_modules()  # the apps' tasks modules register their jobs
    sent = send_deferred()
    requeued = failed = 0
    for job in JOBS:
        counts = requeue_lost(job)
        requeued, failed = requeued + counts["requeued"], failed + counts["failed"]
    return {"sent": sent, "requeued": requeued, "failed": failed}


def send_deferred() -> int:
    sent = 0
    for deferred in DeferredTask.objects.order_by("deferred_at", "pk"):
        if not DeferredTask.objects.filter(pk=deferred.pk).delete()[0]:
            continue  # another sweep took it
        if not send(deferred.name, deferred.args):
            break  # still down: the new DeferredTask waits for the next sweep
        sent += 1
    return sent


def requeue_lost(job: Job) -> dict:
    requeued = failed = 0
    for row in job.lost():
        if row.requeued:
            job.fail(row)
            failed += 1
            continue
        changed = (
            job.queryset()
            .filter(pk=row.pk, requeued=row.requeued)
            .update(**{job.status_field: job.queued}, requeued=row.requeued + 1, attempted_at=timezone.now())
        )
        if changed:
            logger.warning("Re-queued %s %s: its worker was lost", job.task.name, row.pk)
            send(job.task.name, [row.pk])
            requeued += 1
    return {"requeued": requeued, "failed": failed}
