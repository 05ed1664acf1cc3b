"""Demo report archive: the last daily report (001 篇3 一(七)1), archived as the morning's schedule would."""

from django.utils import timezone

from .models import ReportArchive
from .periods import Kind, Period
from .services import report_generate, report_request


def seed(*, scale="demo", stdout=None):
    period = Period.last_completed(Kind.DAILY, timezone.localdate())
    if ReportArchive.objects.of_period(period).exists():
        return
    # Generated here rather than by the worker: the queued task then finds the report archived and skips it.
    archive = report_generate(archive=report_request(period=period, first_version_only=True))
    if stdout:
        stdout.write(f"reports: {archive.title} archived")
