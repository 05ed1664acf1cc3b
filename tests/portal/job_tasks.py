"""A slow job for the SIGKILL test, run by a real worker (``--include``): it claims a report row as generate_report
does, records each start and each completion as a file in JOB_RUNS_DIR, and marks the row archived."""

import os
import time
import uuid
from pathlib import Path

from celery import shared_task

from portal import jobs
from reports.models import ReportArchive


@shared_task(
    name="tests.portal.job_tasks.slow_job",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=100,
    time_limit=120,
)
def slow_job(archive_id):
    if not jobs.claim(SLOW_JOB, archive_id):
        return "not queued"
    runs = Path(os.environ["JOB_RUNS_DIR"])
    (runs / f"start.{uuid.uuid4().hex}").touch()
    time.sleep(float(os.environ.get("JOB_SECONDS", "3")))
    ReportArchive.objects.filter(pk=archive_id).update(status=ReportArchive.Status.DONE, progress=100)
    (runs / f"done.{uuid.uuid4().hex}").touch()
    return "done"


def _failed(archive):
    ReportArchive.objects.filter(pk=archive.pk).update(status=ReportArchive.Status.FAILED)


# Not registered: the test sweeps it alone, and the portal's own sweep leaves its rows to the report job.
SLOW_JOB = jobs.Job(
    task=slow_job,
    queryset=ReportArchive.objects.all,
    status_field="status",
    queued=ReportArchive.Status.PENDING,
    running=ReportArchive.Status.RUNNING,
    fail=_failed,
)


def runs(folder, kind) -> int:
    return sum(1 for path in Path(folder).iterdir() if path.name.startswith(f"{kind}."))
