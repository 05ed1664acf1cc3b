"""Writes on the report archive: request a report, generate it, record a failure."""

import hashlib

from celery import current_app
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from portal import jobs
from portal.notifications import notify, users_with_role
from portal.roles import Role

from .assembly import build_report, section_paths
from .models import ReportArchive
from .periods import Period
from .rendering import report_pdf

NOTIFIED_ROLES = [Role.LEADER, Role.IT_HEAD]
# Named, not imported: the tasks call these services, so the dependency runs one way.
GENERATE_TASK = "reports.tasks.generate_report"


def report_request(
    *, period: Period, department=None, by=None, language: str | None = None, first_version_only: bool = False
) -> ReportArchive:
    """A new version of the period's report, queued for generation once this transaction commits.

    ``first_version_only`` (the beat): a concurrent request for the same period raises IntegrityError instead
    of taking the next version, so the schedule archives each period once.
    """
    parameters = {
        "kind": period.kind,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "department": department.code if department else None,
        "sections": section_paths(period.kind),
        "language": language or settings.LANGUAGE_CODE,
    }
    for _attempt in range(3):
        latest = ReportArchive.objects.of_period(period, department).aggregate(v=Max("version"))["v"] or 0
        if first_version_only and latest:
            raise IntegrityError("The period already has a report.")
        try:
            with transaction.atomic():
                archive = ReportArchive.objects.create(
                    kind=period.kind,
                    period_start=period.start,
                    period_end=period.end,
                    department=department,
                    version=latest + 1,
                    generated_by=by,
                    parameters=parameters,
                )
            break
        except IntegrityError:
            if first_version_only:
                raise
            continue
    else:
        raise IntegrityError("Could not allocate a report version.")
    jobs.enqueue(current_app.tasks[GENERATE_TASK], archive.pk)
    return archive


def _set_progress(archive: ReportArchive, percent: int):
    ReportArchive.objects.filter(pk=archive.pk).update(progress=min(percent, 99))


def report_generate(*, archive: ReportArchive) -> ReportArchive:
    """Assemble, render and archive the PDF with its SHA-256; the row is immutable from then on."""
    ReportArchive.objects.filter(pk=archive.pk).update(status=ReportArchive.Status.RUNNING, progress=1, error="")
    archive.refresh_from_db()
    with translation.override(archive.parameters.get("language", settings.LANGUAGE_CODE)):
        report = build_report(
            archive.period, archive.department, on_progress=lambda p: _set_progress(archive, p * 9 // 10)
        )
        report.generated_at = timezone.now()
        report.generated_by = archive.generated_by
        pdf = report_pdf(report)
        title = archive.title
    archive.refresh_from_db()
    archive.file.save(f"{archive.pk}.pdf", ContentFile(pdf), save=False)
    archive.sha256 = hashlib.sha256(pdf).hexdigest()
    archive.size = len(pdf)
    archive.generated_at = report.generated_at
    archive.status = ReportArchive.Status.DONE
    archive.progress = 100
    archive.save()
    recipients = {user.pk: user for user in users_with_role(*NOTIFIED_ROLES)}
    if archive.generated_by:
        recipients[archive.generated_by.pk] = archive.generated_by
    notify(
        recipients.values(),
        title=gettext_lazy("Statistical report archived: %(title)s"),
        body=gettext_lazy("SHA-256 %(sha)s"),
        params={"title": title, "sha": archive.sha256},
        url=archive.get_absolute_url(),
    )
    return archive


def report_failed(*, archive: ReportArchive, error: BaseException):
    """The last retry failed: record why and tell the IT head and whoever asked, so it is never silent."""
    ReportArchive.objects.filter(pk=archive.pk).update(status=ReportArchive.Status.FAILED, error=repr(error)[:2000])
    notify(
        [*users_with_role(Role.IT_HEAD), archive.generated_by],
        title=gettext_lazy("Statistical report failed: %(title)s"),
        body=gettext_lazy("Generation failed after retries: %(error)s"),
        params={"title": archive.title, "error": repr(error)[:300]},
        url=archive.get_absolute_url(),
    )
