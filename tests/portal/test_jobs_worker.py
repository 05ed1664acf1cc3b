"""A real worker killed by SIGKILL in the middle of a job (issue 13): the job runs again and finishes once."""

import os
import signal
import time
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from portal import jobs
from portal.celery import app as celery_app
from reports.models import ReportArchive
from tests.portal import job_tasks
from tests.portal.test_celery_worker import _start, _stop, _wait_until_ready, celery_env  # noqa: F401

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _wait(condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_a_job_whose_worker_is_killed_runs_again_and_finishes_once(celery_env, tmp_path):  # noqa: F811
    runs = tmp_path / "runs"
    runs.mkdir()
    celery_env.update(JOB_RUNS_DIR=str(runs), JOB_SECONDS="4")
    archive = ReportArchive.objects.create(kind="monthly", period_start="2026-03-01", period_end="2026-03-31")
    args = ["worker", "--pool=solo", "--loglevel=INFO", f"--include={job_tasks.__name__}"]
    first = _start(args, celery_env, tmp_path, "first")
    try:
        _wait_until_ready(first, tmp_path / "first.log")
        with celery_app.connection_for_write() as conn:
            job_tasks.slow_job.apply_async(args=[archive.pk], connection=conn)
        assert _wait(lambda: job_tasks.runs(runs, "start") == 1, 60), (tmp_path / "first.log").read_text()[-3000:]
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=15)
    finally:
        _stop(first)
    archive.refresh_from_db()
    assert archive.status == ReportArchive.Status.RUNNING and job_tasks.runs(runs, "done") == 0

    second = _start(args, celery_env, tmp_path, "second")
    try:
        _wait_until_ready(second, tmp_path / "second.log")
        # The beat's sweep, once the lost job's time limit has passed.
        with time_machine.travel(timezone.now() + timedelta(minutes=10)):
            assert jobs.requeue_lost(job_tasks.SLOW_JOB)["requeued"] == 1
        finished = _wait(lambda: job_tasks.runs(runs, "done") == 1, 60)
        time.sleep(2)  # a second run, if there were one, would have started by now
    finally:
        _stop(second)
    assert finished, (tmp_path / "second.log").read_text()[-3000:]
    archive.refresh_from_db()
    assert (archive.status, archive.requeued) == (ReportArchive.Status.DONE, 1)
    assert (job_tasks.runs(runs, "start"), job_tasks.runs(runs, "done")) == (2, 1)
