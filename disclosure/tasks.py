from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(soft_time_limit=120, time_limit=150)
def remind_disclosure_deadlines():
    """Daily: requests and proactive items near or past their working-day limit."""
    today = timezone.localdate()
    sent = services.remind_request_deadlines(today) + services.remind_entry_deadlines(today)
    return f"{sent} reminders"


@shared_task(soft_time_limit=60, time_limit=90)
def check_next_year_calendar():
    """Daily: from 1 December, alert the administrators when next year's holidays are missing."""
    alerted = services.alert_missing_calendar(timezone.localdate())
    return "alerted" if alerted else "nothing to do"
