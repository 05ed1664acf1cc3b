"""Daily and quarterly ticks for access governance; each is idempotent (state changes or a sent marker)."""

from celery import shared_task

from . import services


@shared_task(soft_time_limit=120, time_limit=150)
def expire_grants():
    """Time-bound grants past their end date become revocation tasks for IT."""
    return f"{services.grants_expire()} grants due for revocation"


@shared_task(soft_time_limit=60, time_limit=90)
def flag_overdue_rotations():
    return f"{services.privileged_rotation_flag_overdue()} accounts overdue"


@shared_task(soft_time_limit=300, time_limit=360)
def open_recertification_campaign():
    return str(services.recertification_open_campaign())


@shared_task(soft_time_limit=60, time_limit=90)
def escalate_recertification():
    return f"{services.recertification_escalate()} answers escalated"


@shared_task(soft_time_limit=60, time_limit=90)
def sync_delegations():
    """Deputies get their right on a delegation's first day and lose it after its last (idempotent)."""
    granted, revoked = services.delegation_sync()
    return f"{granted} deputies' rights given, {revoked} taken"


@shared_task(soft_time_limit=600, time_limit=660)
def sync_directory():
    """The nightly directory sync (accounts.services.directory); nothing to do while no directory is configured."""
    from .directory import enabled
    from .services.directory import directory_sync

    if not enabled():
        return "no directory configured"
    report = directory_sync()
    if report.failure:
        raise RuntimeError(f"directory unavailable: {report.failure}")
    return f"{report.seen} entries, {report.changes} changes"
