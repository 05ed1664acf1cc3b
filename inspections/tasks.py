from celery import shared_task

from . import services


@shared_task(soft_time_limit=60, time_limit=90)
def inspection_tick():
    """Every few minutes: morning reminders and end-of-day missed rounds, each sent once (see services.inspection_tick)."""
    return str(services.inspection_tick())
