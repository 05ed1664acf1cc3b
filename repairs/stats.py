"""Numbers for the statistical reports and the dashboard: aggregate queries only, plain data out.

Percentiles use one code path on SQLite and PostgreSQL: count the filtered rows, then read the value at
the percentile's position with ORDER BY ... OFFSET k LIMIT 1 (nearest rank), which an index serves.
"""

import math
from datetime import date

from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from portal.dates import day_range

from .models import FaultCategory, FaultClass, RepairTicket

TOP_LIMIT = 10


def reported_between(start: date, end: date, department=None):
    """Tickets reported from ``start`` to ``end`` inclusive, cancelled ones left out."""
    low, high = day_range(start, end)
    tickets = RepairTicket.objects.filter(reported_at__gte=low, reported_at__lt=high).exclude(
        state=RepairTicket.State.CANCELLED
    )
    return tickets if department is None else tickets.filter(department=department)


def _counts(queryset, field, choices=None):
    rows = queryset.order_by().values(field).annotate(n=Count("pk")).order_by("-n")
    labels = dict(choices) if choices else {}
    return [{"key": row[field], "label": str(labels.get(row[field], row[field])), "count": row["n"]} for row in rows]


def tickets_by_class(start: date, end: date, department=None):
    return _counts(reported_between(start, end, department), "fault_class", FaultClass.choices)


def tickets_by_category(start: date, end: date, department=None):
    return _counts(reported_between(start, end, department), "category", FaultCategory.choices)


def tickets_by_department(start: date, end: date, department=None):
    rows = (
        reported_between(start, end, department)
        .order_by()
        .values("department__name")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    return [{"label": row["department__name"], "count": row["n"]} for row in rows]


def _percentile(queryset, field, fraction, count):
    if not count:
        return None
    index = max(0, math.ceil(fraction * count) - 1)
    return queryset.order_by(field).values_list(field, flat=True)[index]


def _durations(queryset, field):
    measured = queryset.filter(**{f"{field}__isnull": False})
    count = measured.count()
    return {
        "count": count,
        "median_minutes": _minutes(_percentile(measured, field, 0.5, count)),
        "p90_minutes": _minutes(_percentile(measured, field, 0.9, count)),
    }


def _minutes(seconds):
    return None if seconds is None else round(seconds / 60, 1)


def response_times(start: date, end: date, department=None):
    """Median and 90th percentile of report → on site, in minutes."""
    return _durations(reported_between(start, end, department), "response_seconds")


def repair_times(start: date, end: date, department=None):
    """Median and 90th percentile of report → repaired, waiting for vendor or parts not counted, in minutes."""
    return _durations(reported_between(start, end, department), "repair_seconds")


def _rate(part, whole):
    return round(100 * part / whole, 1) if whole else None


def sla_compliance(start: date, end: date, department=None):
    """Share of tickets on site and repaired within their fault class's limits, in percent."""
    row = reported_between(start, end, department).aggregate(
        responded=Count("pk", filter=Q(response_met__isnull=False)),
        response_met=Count("pk", filter=Q(response_met=True)),
        repaired=Count("pk", filter=Q(repair_met__isnull=False)),
        repair_met=Count("pk", filter=Q(repair_met=True)),
    )
    return {
        **row,
        "response_rate": _rate(row["response_met"], row["responded"]),
        "repair_rate": _rate(row["repair_met"], row["repaired"]),
    }


def first_time_fix_rate(start: date, end: date, department=None):
    """Repaired tickets the department never sent back as not fixed, in percent."""
    row = reported_between(start, end, department).aggregate(
        repaired=Count("pk", filter=Q(repaired_at__isnull=False)),
        first_time=Count("pk", filter=Q(repaired_at__isnull=False, reopen_count=0)),
    )
    return {**row, "rate": _rate(row["first_time"], row["repaired"])}


def satisfaction(start: date, end: date, department=None):
    tickets = reported_between(start, end, department).filter(satisfaction__isnull=False)
    row = tickets.aggregate(average=Avg("satisfaction"), rated=Count("pk"))
    spread = dict(tickets.order_by().values_list("satisfaction").annotate(n=Count("pk")))
    return {
        "average": round(row["average"], 2) if row["average"] is not None else None,
        "rated": row["rated"],
        "by_score": {score: spread.get(score, 0) for score in range(1, 6)},
    }


def top_failing_models(start: date, end: date, department=None, limit=TOP_LIMIT):
    rows = (
        reported_between(start, end, department)
        .filter(equipment__isnull=False)
        .order_by()
        .values(brand=F("equipment__brand"), model=F("equipment__model_name"))
        .annotate(n=Count("pk"), devices=Count("equipment", distinct=True))
        .order_by("-n", "brand", "model")[:limit]
    )
    return [{"model": f"{r['brand']} {r['model']}".strip(), "count": r["n"], "devices": r["devices"]} for r in rows]


def closed_unconfirmed(start: date, end: date, department=None):
    """未经科室确认: tickets closed from ``start`` to ``end`` without the reporting department's confirmation."""
    low, high = day_range(start, end)
    tickets = RepairTicket.objects.filter(
        state=RepairTicket.State.CLOSED, confirmed_at__isnull=True, closed_at__gte=low, closed_at__lt=high
    )
    if department is not None:
        tickets = tickets.filter(department=department)
    rows = tickets.order_by("closed_at", "pk").values_list(
        "number", "department__name", "closed_at", "closed_unconfirmed_reason"
    )
    listed = [
        {"number": number, "department": name, "closed_at": f"{timezone.localtime(at):%Y-%m-%d}", "reason": reason}
        for number, name, at, reason in rows
    ]
    return {"count": len(listed), "tickets": listed}
