"""Background generation of reports, and the daily tick that archives each due period before its deadline."""

from billiard.exceptions import WorkerLostError
from celery import shared_task
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext

from portal import jobs

from .models import ReportArchive
from .periods import due_periods
from .services import report_failed, report_generate, report_request

RETRY_SECONDS = 300


@shared_task(bind=True, max_retries=2, soft_time_limit=240, time_limit=300, acks_late=True, reject_on_worker_lost=True)
def generate_report(self, archive_id: int):
    if not jobs.claim(REPORT_JOB, archive_id):
        return f"report {archive_id} not queued"
    archive = ReportArchive.objects.select_related("department", "generated_by").get(pk=archive_id)
    try:
        report_generate(archive=archive)
    except Exception as exc:
        if self.request.retries < self.max_retries:
            ReportArchive.objects.filter(pk=archive_id).update(
                status=ReportArchive.Status.PENDING, attempted_at=timezone.now()
            )
            raise self.retry(exc=exc, countdown=RETRY_SECONDS) from exc
        report_failed(archive=archive, error=exc)
        raise
    return f"report {archive_id} archived"


def _report_lost(archive):
    report_failed(archive=archive, error=WorkerLostError(gettext("The worker generating it was lost twice.")))


REPORT_JOB = jobs.register(
    jobs.Job(
        task=generate_report,
        queryset=ReportArchive.objects.all,
        status_field="status",
        queued=ReportArchive.Status.PENDING,
        running=ReportArchive.Status.RUNNING,
        fail=_report_lost,
    )
)


@shared_task(soft_time_limit=60, time_limit=90)
def reports_tick():
    """Queue the hospital-wide report of every period now due that has none archived or under way."""
    active = [ReportArchive.Status.PENDING, ReportArchive.Status.RUNNING, ReportArchive.Status.DONE]
    queued = []
    for period in due_periods(timezone.localdate()):
        if ReportArchive.objects.of_period(period).filter(status__in=active).exists():
            continue
        try:
            report_request(period=period, first_version_only=not ReportArchive.objects.of_period(period).exists())
        except IntegrityError:
            continue
        queued.append(f"{period.kind} {period.start}")
    return ", ".join(queued) or "nothing due"
