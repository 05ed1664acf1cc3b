"""Dates turned into the datetimes a query filters on, with one meaning everywhere."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def day_range(start: date, end: date) -> tuple[datetime, datetime]:
    """The days ``start`` to ``end``, both included, as the half-open interval [start 00:00, end+1 00:00)
    in the hospital's time zone. Filter with ``field__gte=low, field__lt=high`` (never ``__range``, which
    would take the next midnight in too)."""
    zone = timezone.get_default_timezone()
    return datetime.combine(start, time.min, zone), datetime.combine(end + timedelta(days=1), time.min, zone)
