"""Ticks of the repair clocks; each reads due-times from the tickets and is safe to run twice."""

from celery import shared_task

from . import services


@shared_task(soft_time_limit=120, time_limit=180)
def escalate_breaches():
    return services.escalate_breaches()


@shared_task(soft_time_limit=120, time_limit=180)
def remind_failure_reports():
    return services.remind_failure_reports()


@shared_task(soft_time_limit=300, time_limit=360)
def remind_unconfirmed_repairs():
    return services.remind_unconfirmed_repairs()


@shared_task(soft_time_limit=120, time_limit=180)
def announce_fallback_milestones():
    return services.announce_fallback_milestones()
