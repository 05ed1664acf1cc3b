"""Numbers for reports and the dashboard: aggregate queries only, plain data out."""

from datetime import date, timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone

from portal.dates import day_range

from .models import Departure, PermissionRequest, PrivilegedAccount, SensitiveQueryLog, Tier
from .models.sensitive import COMPLIANT


def _median(queryset, start_field, end_field) -> timedelta | None:
    """Median of end - start, found by the database's ordering (two queries, no rows loaded)."""
    durations = queryset.annotate(
        duration=ExpressionWrapper(F(end_field) - F(start_field), output_field=DurationField())
    ).order_by("duration")
    count = durations.count()
    if not count:
        return None
    middle = list(durations.values_list("duration", flat=True)[(count - 1) // 2 : count // 2 + 1])
    return sum(middle, timedelta()) / len(middle)


def _in_period(queryset, field, start, end, department=None, department_field="department"):
    """Rows whose ``field`` falls on the days ``start`` to ``end``, of one department when given."""
    since, until = day_range(start, end)
    queryset = queryset.filter(**{f"{field}__gte": since, f"{field}__lt": until})
    return queryset if department is None else queryset.filter(**{department_field: department})


def requests_by_type_and_system(start: date, end: date, department=None) -> list[dict]:
    """Permission requests submitted in the period, counted by type and system."""
    queryset = _in_period(PermissionRequest.objects.all(), "submitted_at", start, end, department)
    rows = (
        queryset.values("kind", "system__code", "system__name")
        .annotate(count=Count("pk"))
        .order_by("system__code", "kind")
    )
    kinds = dict(PermissionRequest.Kind.choices)
    return [
        {
            "kind": row["kind"],
            "kind_label": str(kinds[row["kind"]]),
            "system": row["system__name"],
            "system_code": row["system__code"],
            "count": row["count"],
        }
        for row in rows
    ]


def request_processing_time(start: date, end: date, department=None) -> dict:
    """Requests completed in the period and the median time from submission to provisioning."""
    completed = PermissionRequest.objects.filter(state=PermissionRequest.State.COMPLETED)
    queryset = _in_period(completed, "completed_at", start, end, department)
    median = _median(queryset, "submitted_at", "completed_at")
    return {
        "completed": queryset.count(),
        "median_hours": round(median.total_seconds() / 3600, 1) if median is not None else None,
    }


def departures_cleared(start: date, end: date, department=None) -> dict:
    """Departures and transfers completed in the period, by type, and the median days from opening to completion."""
    completed = Departure.objects.filter(state=Departure.State.COMPLETED)
    queryset = _in_period(completed, "completed_at", start, end, department, "from_department")
    counts = queryset.aggregate(
        departures=Count("pk", filter=Q(kind=Departure.Kind.DEPARTURE)),
        transfers=Count("pk", filter=Q(kind=Departure.Kind.TRANSFER)),
    )
    median = _median(queryset, "opened_at", "completed_at")
    return {**counts, "median_days_to_clear": round(median.total_seconds() / 86400, 1) if median is not None else None}


def overdue_rotations(on: date | None = None) -> dict[int, int]:
    """Privileged accounts in use whose password change is overdue on the day, per tier (every tier listed)."""
    counts = dict(
        PrivilegedAccount.objects.rotation_overdue(on or timezone.localdate())
        .values_list("tier")
        .annotate(count=Count("pk"))
        .values_list("tier", "count")
    )
    return {tier: counts.get(tier, 0) for tier in Tier.values}


def sensitive_queries(start: date, end: date, department=None) -> dict:
    """Statistics queries run in the period: with and without a valid approval, and how many are reviewed."""
    queryset = _in_period(SensitiveQueryLog.objects.all(), "run_at", start, end, department, "approval__department")
    return queryset.aggregate(
        with_approval=Count("pk", filter=COMPLIANT),
        without_approval=Count("pk", filter=~COMPLIANT),
        reviewed=Count("pk", filter=Q(reviewed_at__isnull=False)),
    )
