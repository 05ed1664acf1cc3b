"""Numbers for reports and the dashboard: plain data from aggregate queries.

Each takes the period [start, end] as dates (local time); the backups register is hospital-wide,
so there is no department argument.
"""

from datetime import date, datetime, time

from django.db.models import Count, Q, Sum
from django.utils import timezone

from .models import BackupRun, BackupTarget, Verification
from .selectors import RED, board_rows


def _bounds(start: date, end: date):
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tzinfo=tz), datetime.combine(end, time.max, tzinfo=tz)


def backup_success_rate(start: date, end: date) -> dict:
    low, high = _bounds(start, end)
    totals = BackupRun.objects.filter(started_at__range=(low, high)).aggregate(
        total=Count("pk"), succeeded=Count("pk", filter=Q(status=BackupRun.Status.SUCCESS))
    )
    totals["rate"] = round(totals["succeeded"] / totals["total"], 4) if totals["total"] else None
    return totals


def verifications_done_vs_due(start: date, end: date) -> dict:
    """Done: verifications in the period. Due: for each target in use, the period's days over its interval (at least one)."""
    low, high = _bounds(start, end)
    days = (end - start).days + 1
    done = Verification.objects.filter(started_at__range=(low, high)).count()
    per_interval = (
        BackupTarget.objects.filter(is_active=True).values("verification_interval_days").annotate(targets=Count("pk"))
    )
    due = sum(max(1, days // row["verification_interval_days"]) * row["targets"] for row in per_interval)
    return {"done": done, "due": due}


def verification_pass_rate(start: date, end: date) -> dict:
    low, high = _bounds(start, end)
    totals = Verification.objects.filter(started_at__range=(low, high)).aggregate(
        total=Count("pk"),
        passed=Count("pk", filter=Q(result=Verification.Result.PASS)),
        failed=Count("pk", filter=Q(result=Verification.Result.FAIL)),
    )
    totals["rate"] = round(totals["passed"] / totals["total"], 4) if totals["total"] else None
    return totals


def median_restore_seconds(start: date, end: date) -> float | None:
    """Median measured restore time (RTO) of the period's restore tests: a count, then the middle row(s) by offset."""
    low, high = _bounds(start, end)
    timed = Verification.objects.filter(started_at__range=(low, high), restore_seconds__isnull=False)
    count = timed.count()
    if not count:
        return None
    ordered = timed.order_by("restore_seconds").values_list("restore_seconds", flat=True)
    middle = list(ordered[(count - 1) // 2 : count // 2 + 1])
    return round(sum(middle) / len(middle), 3)


def backup_volume_bytes(start: date, end: date) -> int:
    low, high = _bounds(start, end)
    return (
        BackupRun.objects.filter(started_at__range=(low, high), status=BackupRun.Status.SUCCESS).aggregate(
            total=Sum("size_bytes")
        )["total"]
        or 0
    )


def targets_out_of_policy() -> dict:
    """Now: targets in use that are red on the board, with their names."""
    red = [row.target.name for row in board_rows() if row.status == RED]
    return {"count": len(red), "targets": red, "in_use": BackupTarget.objects.filter(is_active=True).count()}


def summary(start: date, end: date) -> dict:
    return {
        "backups": backup_success_rate(start, end),
        "verifications": verifications_done_vs_due(start, end),
        "pass_rate": verification_pass_rate(start, end),
        "median_restore_seconds": median_restore_seconds(start, end),
        "volume_bytes": backup_volume_bytes(start, end),
        "out_of_policy": targets_out_of_policy(),
    }
