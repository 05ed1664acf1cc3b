"""Background generation of reports, and the daily tick that archives each due period before its deadline."""

from celery import shared_task
from django.db import IntegrityError
from django.utils import timezone

from .models import ReportArchive
from .periods import due_periods

RETRY_SECONDS = 300


@shared_task(bind=True, max_retries=2, soft_time_limit=240, time_limit=300)
def generate_report(self, archive_id: int):
    archive = ReportArchive.objects.select_related("department", "generated_by").get(pk=archive_id)
    if archive.is_archived:
        return f"report {archive_id} already archived"
    from .services import report_failed, report_generate

    try:
        report_generate(archive=archive)
    except Exception as exc:
        if self.request.retries < self.max_retries:
            raise self.retry(exc=exc, countdown=RETRY_SECONDS) from exc
        report_failed(archive=archive, error=exc)
        raise
    return f"report {archive_id} archived"


@shared_task(soft_time_limit=60, time_limit=90)
def reports_tick():
    """Queue the hospital-wide report of every period now due that has none archived or under way."""
    from .services import report_request

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
