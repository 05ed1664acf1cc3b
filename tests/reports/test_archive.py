import hashlib
import io
from datetime import date

import pytest
from django.contrib.admin.sites import site
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from reports.models import ArchiveImmutable, ReportArchive
from reports.periods import Kind, Period
from reports.services import report_request

MARCH = Period.of(Kind.MONTHLY, 2026, 3)

pytestmark = pytest.mark.usefixtures("voucher_section")


@pytest.fixture
def archived(make_user, vouchers, django_capture_on_commit_callbacks):
    leader = make_user("leader")
    with django_capture_on_commit_callbacks(execute=True):
        archive = report_request(period=MARCH, by=leader)
    archive.refresh_from_db()
    return archive


def test_generation_archives_the_pdf_with_its_hash(archived):
    assert archived.status == ReportArchive.Status.DONE
    assert archived.progress == 100
    data = archived.file.read()
    assert hashlib.sha256(data).hexdigest() == archived.sha256
    assert archived.size == len(data)
    assert archived.file.name.startswith("reports/") and "2026" not in archived.file.name.rsplit("/", 1)[1]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "凭证统计" in text
    assert archived.parameters["start"] == "2026-03-01" and archived.parameters["end"] == "2026-03-31"
    assert archived.parameters["sections"] == ["tests.testapp.report.section"]


def test_an_archived_report_cannot_be_changed_or_deleted(archived):
    archived.sha256 = "0" * 64
    with pytest.raises(ArchiveImmutable):
        archived.save()
    with pytest.raises(ArchiveImmutable):
        archived.delete()
    with pytest.raises(ArchiveImmutable):
        ReportArchive.objects.all().delete()
    assert ReportArchive.objects.filter(pk=archived.pk).update(sha256="0" * 64, progress=5) == 0
    archived.refresh_from_db()
    assert archived.sha256 != "0" * 64 and archived.progress == 100


def test_the_admin_is_read_only(archived, rf, make_user):
    admin = site._registry[ReportArchive]
    request = rf.get("/")
    request.user = make_user(is_superuser=True, is_staff=True)  # the system administrator: no business role
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, archived)
    assert not admin.has_delete_permission(request, archived)


def test_regenerating_adds_a_version_beside_the_old(archived, make_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        second = report_request(period=MARCH, by=make_user("it_head"))
    second.refresh_from_db()
    assert (archived.version, second.version) == (1, 2)
    assert second.status == ReportArchive.Status.DONE
    assert ReportArchive.objects.of_period(MARCH).count() == 2
    archived.refresh_from_db()
    assert archived.status == ReportArchive.Status.DONE


def test_the_database_refuses_a_duplicate_version(db, department):
    fields = {"kind": Kind.MONTHLY, "period_start": date(2026, 3, 1), "period_end": date(2026, 3, 31), "version": 1}
    ReportArchive.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportArchive.objects.create(**fields)
    ReportArchive.objects.create(**fields, department=department)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportArchive.objects.create(**fields, department=department)
