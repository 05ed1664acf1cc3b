"""Numbers for reports and the dashboard; aggregate queries only, plain data out."""

from datetime import date

from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone

from portal.dates import day_range

from .models import Equipment, LedgerEntry, SpareLoan, Stocktake


def _scoped(queryset, department, field="department"):
    return queryset.filter(**{field: department}) if department is not None else queryset


def devices_by_status(start: date | None = None, end: date | None = None, department=None) -> dict[str, int]:
    """Current devices per status (the ledger today; the period is not used)."""
    rows = _scoped(Equipment.objects.all(), department).values_list("status").annotate(n=Count("id")).order_by()
    return dict(rows)


def devices_by_category(start: date | None = None, end: date | None = None, department=None) -> list[dict]:
    rows = (
        _scoped(Equipment.objects.active(), department)
        .values("category__name")
        .annotate(count=Count("id"), value=Sum("price"))
        .order_by("-count")
    )
    return [{"category": r["category__name"], "count": r["count"], "value": r["value"] or 0} for r in rows]


def devices_by_department(start: date | None = None, end: date | None = None, department=None) -> list[dict]:
    rows = (
        _scoped(Equipment.objects.active(), department)
        .values("department__name")
        .annotate(count=Count("id"), in_use=Count("id", filter=Q(status=Equipment.Status.IN_USE)))
        .order_by("-count")
    )
    return [{"department": r["department__name"] or "", "count": r["count"], "in_use": r["in_use"]} for r in rows]


def added_and_scrapped(start: date, end: date, department=None) -> dict[str, int]:
    """Devices put on the book (registered or imported) and scrapped within the period."""
    low, high = day_range(start, end)
    entries = LedgerEntry.objects.filter(created_at__gte=low, created_at__lt=high)
    if department is not None:
        entries = entries.filter(Q(to_department=department) | Q(from_department=department))
    return entries.aggregate(
        added=Count("id", filter=Q(kind__in=[LedgerEntry.Kind.REGISTER, LedgerEntry.Kind.IMPORT])),
        scrapped=Count("id", filter=Q(kind=LedgerEntry.Kind.APPROVE_SCRAP)),
    )


def stocktake_match_rate(start: date, end: date, department=None) -> dict:
    """Stocktakes closed in the period: how many, items expected and matched, overall match rate (%)."""
    low, high = day_range(start, end)
    closed = Stocktake.objects.filter(state=Stocktake.State.CLOSED, closed_at__gte=low, closed_at__lt=high)
    closed = _scoped(closed, department)
    totals = closed.aggregate(
        stocktakes=Count("id"),
        expected=Sum("expected_count"),
        matched=Sum("matched_count"),
        missing=Sum("missing_count"),
        average=Avg("match_rate"),
    )
    expected, matched = totals["expected"] or 0, totals["matched"] or 0
    return {
        "stocktakes": totals["stocktakes"],
        "expected": expected,
        "matched": matched,
        "missing": totals["missing"] or 0,
        "match_rate": round(matched * 100 / expected, 1) if expected else None,
    }


def spare_loans(start: date, end: date, department=None) -> dict[str, int]:
    """Loans made in the period, loans out now and overdue now."""
    low, high = day_range(start, end)
    today = timezone.localdate()
    loans = _scoped(SpareLoan.objects.all(), department)
    return loans.aggregate(
        lent=Count("id", filter=Q(lent_at__gte=low, lent_at__lt=high)),
        out=Count("id", filter=Q(returned_at__isnull=True)),
        overdue=Count("id", filter=Q(returned_at__isnull=True, expected_return__lt=today)),
    )
