"""Record every Celery task's last run and outcome (TaskRun), for the dashboard and /healthz."""

from celery.signals import task_failure, task_postrun, task_prerun
from django.utils import timezone

from .models import TaskRun


@task_prerun.connect
def _task_started(sender=None, **kwargs):
    TaskRun.objects.update_or_create(
        name=sender.name, defaults={"started_at": timezone.now(), "outcome": TaskRun.Outcome.RUNNING}
    )


@task_postrun.connect
def _task_finished(sender=None, state=None, retval=None, **kwargs):
    if state == "FAILURE":
        return
    TaskRun.objects.filter(name=sender.name).update(
        finished_at=timezone.now(), outcome=TaskRun.Outcome.OK, detail=str(retval or "")[:2000]
    )


@task_failure.connect
def _task_failed(sender=None, exception=None, **kwargs):
    TaskRun.objects.filter(name=sender.name).update(
        finished_at=timezone.now(), outcome=TaskRun.Outcome.FAILED, detail=repr(exception)[:2000]
    )
