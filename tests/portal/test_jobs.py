"""No lost task (issue 13): an action whose task the broker refuses still succeeds and runs once the broker is back;
a job whose worker was lost is re-queued once, then marked failed."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from backups.models import BackupTarget
from portal import jobs
from portal.celery import app as celery_app
from portal.models import DeferredTask
from reports.models import ReportArchive
from reports.periods import Kind, Period
from reports.services import report_request
from reports.tasks import REPORT_JOB
from tests.portal.test_celery_worker import reset_celery_pools

MARCH = {"kind": "monthly", "year": 2026, "month": 3}


@pytest.fixture(autouse=True)
def report_section(settings):
    settings.PORTAL_REPORT_SECTIONS = ["tests.testapp.report.section"]


@pytest.fixture
def broker_down():
    """Nothing listens on port 1: every publish fails as with a stopped Redis. Calling it brings the broker back,
    and tasks run in-process again as in every other test."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.broker_transport, os.environ.get("CELERY_BROKER_URL")
    # Celery reads the variable before its setting (CI's Redis pass sets it).
    os.environ["CELERY_BROKER_URL"] = "redis://127.0.0.1:1/0"
    conf.broker_url, conf.broker_transport, conf.task_always_eager = "redis://127.0.0.1:1/0", None, False
    reset_celery_pools()

    def back():
        conf.broker_url, conf.broker_transport, variable = saved
        if variable is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = variable
        conf.task_always_eager = True
        reset_celery_pools()

    yield back
    back()


# Committed for real, as in production: the task is sent while the view still runs.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_broker_down_a_report_request_is_registered_and_runs_once_it_is_back(client, make_user, broker_down):
    client.force_login(make_user("leader"))
    response = client.post(reverse("reports:generate"), MARCH, follow=True)
    assert response.status_code == 200
    assert "已登记，后台任务暂不可用，恢复后自动执行" in response.content.decode()
    archive = ReportArchive.objects.get()
    assert archive.status == ReportArchive.Status.PENDING
    assert list(DeferredTask.objects.values_list("name", "args")) == [(REPORT_JOB.task.name, [archive.pk])]
    # A sweep while it is still down keeps the task.
    assert jobs.sweep()["sent"] == 0
    assert DeferredTask.objects.count() == 1

    broker_down()
    assert jobs.sweep()["sent"] == 1
    archive.refresh_from_db()
    assert archive.status == ReportArchive.Status.DONE and archive.sha256
    assert not DeferredTask.objects.exists()


def _lost_report(make_user, django_capture_on_commit_callbacks):
    """A report whose worker died while generating it: running, its message gone."""
    with django_capture_on_commit_callbacks(execute=False):
        archive = report_request(period=Period.of(Kind.MONTHLY, 2026, 3), by=make_user("leader"))
    ReportArchive.objects.filter(pk=archive.pk).update(status=ReportArchive.Status.RUNNING, progress=76)
    return archive


def test_a_report_whose_worker_was_lost_is_queued_again_once_and_archived(
    make_user, django_capture_on_commit_callbacks
):
    archive = _lost_report(make_user, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep()["requeued"] == 0  # still within its time limit: the worker may be at it
    with time_machine.travel(timezone.now() + timedelta(minutes=11)), django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep()["requeued"] == 1
    archive.refresh_from_db()
    assert (archive.status, archive.progress, archive.requeued) == (ReportArchive.Status.DONE, 100, 1)


def test_a_report_lost_twice_is_marked_failed_and_the_it_head_told(make_user, django_capture_on_commit_callbacks):
    it_head = make_user("it_head")
    archive = _lost_report(make_user, django_capture_on_commit_callbacks)
    ReportArchive.objects.filter(pk=archive.pk).update(requeued=1)
    with time_machine.travel(timezone.now() + timedelta(minutes=11)), django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep() == {"sent": 0, "requeued": 0, "failed": 1}
    archive.refresh_from_db()
    assert archive.status == ReportArchive.Status.FAILED and "两次中断" in archive.error
    assert it_head.notifications.filter(title__contains=archive.title).exists()


def test_the_redis_visibility_timeout_outlasts_every_task():
    """Redis hands an unacknowledged task to another worker after this long: never while it may still run."""
    celery_app.loader.import_default_modules()
    longest = max(task.time_limit or 0 for task in celery_app.tasks.values())
    code = "from portal import settings; print(settings.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'])"
    env = {**os.environ, "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0", "DEBUG": "1"}
    timeout = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert longest >= 3600 and int(timeout) > longest


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_broker_down_check_now_is_registered_and_sent_once_it_is_back(client, make_user, broker_down):
    dba = make_user("dba")
    target = BackupTarget.objects.create(
        code="HIS-DB", name="HIS 数据库", kind=BackupTarget.Kind.ORACLE, responsible_dba=dba, auto_verify=True
    )
    client.force_login(dba)
    response = client.post(reverse("backups:target_action", args=[target.pk, "check-now"]), follow=True)
    assert response.status_code == 200
    assert "已登记，后台任务暂不可用，恢复后自动执行" in response.content.decode()
    assert list(DeferredTask.objects.values_list("args", flat=True)) == [[target.pk, dba.pk]]
    broker_down()
    assert jobs.send_deferred() == 1
    assert not DeferredTask.objects.exists()
