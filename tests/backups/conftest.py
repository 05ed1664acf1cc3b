from datetime import timedelta

import pytest
from django.utils import timezone

from backups.models import BackupRun, BackupTarget


@pytest.fixture
def dba(make_user, department):
    return make_user("dba", username="dba1", full_name="刘洋")


@pytest.fixture
def it_head(make_user):
    return make_user("it_head", username="head1", full_name="陈志强")


@pytest.fixture
def it_officer(make_user):
    return make_user("it_officer", username="officer1", full_name="张伟")


@pytest.fixture
def make_target(db, dba):
    def make(code="HIS-DB", **fields):
        defaults = {
            "name": f"{code} 数据库",
            "kind": BackupTarget.Kind.ORACLE,
            "responsible_dba": dba,
            "created_at": timezone.now() - timedelta(days=30),
            # The off-site rule has its own tests (test_restore_and_offsite.py); elsewhere a plan keeps none.
            "offsite_copy": False,
        }
        defaults.update(fields)
        return BackupTarget.objects.create(code=code, **defaults)

    return make


@pytest.fixture
def make_run(db):
    def make(target, *, hours_ago=1, status=BackupRun.Status.SUCCESS, kind=BackupRun.Kind.FULL, **fields):
        started = timezone.now() - timedelta(hours=hours_ago)
        defaults = {
            "started_at": started,
            "finished_at": started + timedelta(minutes=10),
            "status": status,
            "kind": kind,
            "error": "" if status == BackupRun.Status.SUCCESS else "磁带写入错误",
        }
        defaults.update(fields)
        return BackupRun.objects.create(target=target, **defaults)

    return make


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages asserted in English; pages are checked in Chinese through the client."""
    from django.utils import translation

    with translation.override("en"):
        yield
