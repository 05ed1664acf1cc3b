"""List the stored rows whose dates no person could have meant (issue 13): before 2000 or beyond ten years ahead.

A date-time typed as year 1 in Shanghai was kept by PostgreSQL as 1 BC, which Python cannot read, so every page
showing the row failed. The forms refuse such values now; this check finds the rows stored before. It compares
in the database and reads only primary keys, so it finds even the rows Python cannot load.
"""

import datetime

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.forms import EARLIEST_DAY, latest_day

SHOWN_KEYS = 20


def implausible_rows():
    """(model label, field name, primary keys) of every date or date-time column with a value out of range."""
    first, after_last = EARLIEST_DAY, latest_day() + datetime.timedelta(days=1)
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.DateField):  # a DateTimeField is one too
                continue
            low, high = first, after_last
            if isinstance(field, models.DateTimeField):
                low, high = (
                    timezone.make_aware(datetime.datetime.combine(day, datetime.time())) for day in (low, high)
                )
            odd = Q(**{f"{field.name}__lt": low}) | Q(**{f"{field.name}__gte": high})
            keys = list(model._base_manager.filter(odd).order_by("pk").values_list("pk", flat=True))
            if keys:
                yield model._meta.label, field.name, keys


class Command(BaseCommand):
    help = "List the rows whose dates are before 2000 or more than ten years ahead."

    def handle(self, *args, **options):
        found = False
        for label, field, keys in implausible_rows():
            found = True
            shown = ", ".join(str(key) for key in keys[:SHOWN_KEYS]) + (" …" if len(keys) > SHOWN_KEYS else "")
            self.stdout.write(f"{label}.{field}: {len(keys)} ({shown})")
        if not found:
            self.stdout.write(_("Every stored date lies between 2000 and ten years ahead."))
