from celery import shared_task

from . import audit, jobs


@shared_task(soft_time_limit=20, time_limit=30)
def heartbeat():
    """Beat publishes this every minute and records its own heartbeat as it does (portal.heartbeats); the worker's
    run of it shows on the dashboard that the queue works end to end."""
    return "ok"


@shared_task(soft_time_limit=50, time_limit=60)
def sweep_jobs():
    """Every minute: send the tasks the broker refused while it was down, re-queue jobs whose worker was lost."""
    return jobs.sweep()


@shared_task(soft_time_limit=300, time_limit=360)
def purge_security_events():
    """Nightly: delete the security events older than AUDIT_RETENTION_DAYS (at least 180 days), nothing younger."""
    return audit.security_events_purge()
