"""Numbers for reports and the dashboard: plain data from aggregate queries.

Each takes the period [start, end] as dates (local time); the backups register is hospital-wide,
so there is no department argument.
"""

from datetime import date

from django.db.models import Count, Q, Sum

from portal.dates import day_range

from .models import BackupRun, BackupTarget, Verification
from .selectors import RED, board_rows


def _started_within(queryset, start: date, end: date):
    low, high = day_range(start, end)
    return queryset.filter(started_at__gte=low, started_at__lt=high)


def backup_success_rate(start: date, end: date) -> dict:
    totals = _started_within(BackupRun.objects, start, end).aggregate(
        total=Count("pk"), succeeded=Count("pk", filter=Q(status=BackupRun.Status.SUCCESS))
    )
    totals["rate"] = round(totals["succeeded"] / totals["total"], 4) if totals["total"] else None
    return totals


def verifications_done_vs_due(start: date, end: date) -> dict:
    """Done: verifications in the period. Due: for each target in use, the period's days over its interval (at least one)."""
    days = (end - start).days + 1
    done = _started_within(Verification.objects, start, end).count()
    per_interval = (
        BackupTarget.objects.filter(is_active=True).values("verification_interval_days").annotate(targets=Count("pk"))
    )
    due = sum(max(1, days // row["verification_interval_days"]) * row["targets"] for row in per_interval)
    return {"done": done, "due": due}


def verification_pass_rate(start: date, end: date) -> dict:
    totals = _started_within(Verification.objects, start, end).aggregate(
        total=Count("pk"),
        passed=Count("pk", filter=Q(result=Verification.Result.PASS)),
        failed=Count("pk", filter=Q(result=Verification.Result.FAIL)),
    )
    totals["rate"] = round(totals["passed"] / totals["total"], 4) if totals["total"] else None
    return totals


def median_restore_seconds(start: date, end: date) -> float | None:
    """Median measured restore time (RTO) of the period's restore tests: a count, then the middle row(s) by offset."""
    timed = _started_within(Verification.objects, start, end).filter(restore_seconds__isnull=False)
    count = timed.count()
    if not count:
        return None
    ordered = timed.order_by("restore_seconds").values_list("restore_seconds", flat=True)
    middle = list(ordered[(count - 1) // 2 : count // 2 + 1])
    return round(sum(middle) / len(middle), 3)


def backup_volume_bytes(start: date, end: date) -> int:
    succeeded = _started_within(BackupRun.objects.successful(), start, end)
    return succeeded.aggregate(total=Sum("size_bytes"))["total"] or 0


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
