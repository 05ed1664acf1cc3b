"""Values a view reads from ``request.GET`` or ``request.POST`` itself: parsed here, so a bad one answers 400.

Forms and filtersets validate their own fields; these helpers serve the few names a view reads by hand
(keyset pages, a category, a month). A value that is absent or empty gives the default; one that cannot
be what the view asks for raises ``BadRequest``, which Django answers with 400, never 500. A NUL byte never
gets this far: ``portal.middleware.RefuseNulBytesMiddleware`` answers it with 400.
"""

import datetime
import re

from django.core.exceptions import BadRequest

# The largest value every supported database stores in an integer (primary key) column.
MAX_INTEGER = 2**31 - 1
ASCII_INTEGER = re.compile(r"-?[0-9]{1,12}")
ASCII_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")


def _refuse(name):
    # Django's 400 page does not show the message: it is for the log, hence not translated.
    raise BadRequest(f"invalid value for the parameter {name!r}")


def int_param(data, name, *, default=None, min_value=1, max_value=MAX_INTEGER):
    """An integer written in ASCII digits (``"²"`` and ``"٣"`` are refused) between the bounds, both included."""
    value = data.get(name, "").strip()
    if not value:
        return default
    if not ASCII_INTEGER.fullmatch(value) or not min_value <= int(value) <= max_value:
        _refuse(name)
    return int(value)


def month_param(data, name, *, default, earliest, latest):
    """The first day of the month written ``YYYY-MM``, between the months of ``earliest`` and ``latest``."""
    value = data.get(name, "").strip()
    if not value:
        return default
    try:
        month = datetime.datetime.strptime(value, "%Y-%m").date() if ASCII_MONTH.fullmatch(value) else None
    except ValueError:
        month = None
    if month is None or not earliest.replace(day=1) <= month <= latest.replace(day=1):
        _refuse(name)
    return month
