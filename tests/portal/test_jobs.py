"""No lost task (issue 13): an action whose task the broker refuses still succeeds and runs once the broker is back;
a job whose worker was lost is re-queued once, then marked failed."""

import pytest
from django.urls import reverse

from portal import jobs
from portal.celery import app as celery_app
from portal.models import DeferredTask
from portal.reports.models import ReportArchive
from portal.reports.tasks import REPORT_JOB

MARCH = {"kind": "monthly", "year": 2026, "month": 3}


def _reset_pools():
    """Publish through a connection to the broker now configured."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture(autouse=True)
def report_section(settings):
    settings.PORTAL_REPORT_SECTIONS = ["tests.testapp.report.section"]


@pytest.fixture
def broker_down():
    """Nothing listens on port 1: every publish fails as with a stopped Redis. Calling it brings the broker back,
    and tasks run in-process again as in every other test."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.broker_transport
    conf.broker_url, conf.broker_transport, conf.task_always_eager = "redis://127.0.0.1:1/0", None, False
    _reset_pools()

    def back():
        conf.broker_url, conf.broker_transport = saved
        conf.task_always_eager = True
        _reset_pools()

    yield back
    back()


# Committed for real, as in production: the task is sent while the view still runs.
@pytest.mark.django_db(transaction=True)
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
