"""The equipment section of the statistical report, from inventory.stats only."""

from django.utils.translation import gettext as _

from reports import KPI, Chart, Compared, Section, Table

from . import stats
from .models import Equipment


def section(start, end, department=None) -> Section:
    labels = dict(Equipment.Status.choices)
    by_status = stats.devices_by_status(start, end, department)
    by_category = stats.devices_by_category(start, end, department)
    by_department = stats.devices_by_department(start, end, department)
    movements = Compared(stats.added_and_scrapped, start, end, department)
    stocktakes = Compared(stats.stocktake_match_rate, start, end, department)
    loans = Compared(stats.spare_loans, start, end, department)
    on_book = sum(n for status, n in by_status.items() if status != Equipment.Status.SCRAPPED)

    status_rows = [[str(label), by_status.get(value, 0)] for value, label in Equipment.Status.choices]
    return Section(
        slug="equipment",
        title=_("Equipment"),
        kpis=[
            KPI(_("Devices on the ledger"), on_book, headline=True),
            KPI(_("Devices in use"), by_status.get(Equipment.Status.IN_USE, 0)),
            movements.kpi(_("Devices added"), lambda r: r["added"], headline=True),
            movements.kpi(_("Devices scrapped"), lambda r: r["scrapped"]),
            stocktakes.kpi(_("Stocktakes closed"), lambda r: r["stocktakes"]),
            stocktakes.kpi(_("Stocktake match rate"), lambda r: r["match_rate"], unit="%"),
            loans.kpi(_("Spare machines lent"), lambda r: r["lent"]),
            KPI(_("Spare machines out now"), loans.current["out"]),
            KPI(_("Spare loans overdue now"), loans.current["overdue"]),
        ],
        charts=[
            Chart(
                _("Devices by status"),
                [str(labels[v]) for v in labels],
                {_("Devices"): [by_status.get(v, 0) for v in labels]},
            ),
            Chart(
                _("Devices by category"),
                [row["category"] for row in by_category],
                {_("Devices"): [row["count"] for row in by_category]},
                kind="barh",
            ),
        ],
        tables=[
            Table(
                "by-status",
                _("Devices by status"),
                [_("Status"), _("Devices")],
                status_rows,
                total=[_("Total"), sum(by_status.values())],
            ),
            Table(
                "by-category",
                _("Devices by category"),
                [_("Category"), _("Devices"), _("Purchase value (yuan)")],
                [[row["category"], row["count"], row["value"]] for row in by_category],
                total=[_("Total"), sum(r["count"] for r in by_category), sum(r["value"] for r in by_category)],
            ),
            Table(
                "by-department",
                _("Devices by using department"),
                [_("Department"), _("Devices"), _("Devices in use")],
                [[row["department"] or _("(not issued)"), row["count"], row["in_use"]] for row in by_department],
                total=[_("Total"), sum(r["count"] for r in by_department), sum(r["in_use"] for r in by_department)],
            ),
            Table(
                "stocktakes",
                _("Stocktakes closed in the period"),
                [_("Stocktakes"), _("Items expected"), _("Matched"), _("Missing"), _("Match rate (%)")],
                [[stocktakes.current[k] for k in ("stocktakes", "expected", "matched", "missing", "match_rate")]],
            ),
        ],
        notes=[
            _(
                "Devices by status, category and department are the ledger as it stands today; the other figures are for the period."
            )
        ],
    )
