"""A report section for the framework's tests: figures anyone can count by hand."""

from django.db.models import Count, Q, Sum

from reports import KPI, Chart, Compared, Section, Table

from .models import Voucher


def days_in(start, end, department=None):
    return (end - start).days + 1


def section(start, end, department=None) -> Section:
    vouchers = Voucher.objects.all()
    if department is not None:
        vouchers = vouchers.filter(applicant__department=department)
    rows = {row["state"]: row for row in vouchers.values("state").annotate(count=Count("pk"), amount=Sum("amount"))}
    table_rows = [
        [str(label), rows.get(state, {}).get("count", 0), rows.get(state, {}).get("amount") or 0]
        for state, label in Voucher.State.choices
    ]
    totals = vouchers.aggregate(
        count=Count("pk"), amount=Sum("amount"), approved=Count("pk", filter=Q(state=Voucher.State.APPROVED))
    )
    return Section(
        slug="vouchers",
        title="凭证统计",
        kpis=[
            Compared(days_in, start, end, department).kpi("统计天数", headline=True),
            KPI("凭证总额", totals["amount"] or 0, unit="元"),
        ],
        charts=[Chart("凭证按状态", [row[0] for row in table_rows], {"张数": [row[1] for row in table_rows]})],
        tables=[
            Table(
                "by-state",
                "凭证按状态",
                ["状态", "张数", "金额"],
                table_rows,
                total=["合计", totals["count"], totals["amount"] or 0],
            )
        ],
    )


def failing_section(start, end, department=None) -> Section:
    raise RuntimeError("统计库不可用")
