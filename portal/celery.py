"""Celery application, as in Celery's Django example."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The worker's own heartbeat, loaded once Django is set up (portal/heartbeats.py).
app.steps["consumer"].add("portal.heartbeats:WorkerPulse")
