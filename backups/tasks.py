"""Scheduled ticks: the portal's own backup, due verifications, and the hourly lapse check."""

from celery import shared_task
from django.contrib.auth import get_user_model

from portal import jobs

from . import services
from .models import BackupTarget


@shared_task(soft_time_limit=1500, time_limit=1560)
def back_up_portal_database():
    """Tick: back up the portal's own database when the last backup is older than its plan allows, then check it."""
    target = services.portal_target()
    if not services.portal_backup_due(target):
        return "not due"
    run = services.portal_backup_create()
    if run.status == run.Status.SUCCESS:
        jobs.enqueue(verify_target, target.pk)
    return f"{run.get_status_display()} {run.location}"


@shared_task(soft_time_limit=60, time_limit=90)
def queue_due_verifications():
    """Tick: queue one check per target whose verification is due; the lease inside keeps them from overlapping."""
    services.portal_target()
    due = [
        target.pk
        for target in BackupTarget.objects.filter(is_active=True, auto_verify=True)
        if services.verification_due(target)
    ]
    for pk in due:
        jobs.enqueue(verify_target, pk)
    return f"queued {len(due)}"


# A check lost with its worker runs again: the lease inside keeps two from overlapping.
@shared_task(soft_time_limit=3600, time_limit=3660, acks_late=True, reject_on_worker_lost=True)
def verify_target(target_id, requested_by_id=None):
    target = BackupTarget.objects.get(pk=target_id)
    requested_by = get_user_model().objects.filter(pk=requested_by_id).first() if requested_by_id else None
    verification = services.verification_run_automatic(target=target, requested_by=requested_by)
    if verification is None:
        return "skipped: another check is running or there is nothing to check"
    return f"{verification.get_result_display()} ({verification.pk})"


@shared_task(soft_time_limit=300, time_limit=360)
def check_backup_lapses():
    """Hourly: alert the DBA and the IT head once per lapse."""
    return f"alerts raised: {services.lapses_check()}"
