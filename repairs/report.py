"""The repairs section of the statistical report, from repairs.stats only."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from reports import Chart, Compared, Section, Table

from . import stats
from .models import FaultClass


def _total(rows):
    return sum(row["count"] for row in rows)


def section(start, end, department=None) -> Section:
    by_class = Compared(stats.tickets_by_class, start, end, department)
    by_category = stats.tickets_by_category(start, end, department)
    by_department = stats.tickets_by_department(start, end, department)
    response = Compared(stats.response_times, start, end, department)
    repair = Compared(stats.repair_times, start, end, department)
    sla = Compared(stats.sla_compliance, start, end, department)
    first_fix = Compared(stats.first_time_fix_rate, start, end, department)
    satisfaction = Compared(stats.satisfaction, start, end, department)
    top_models = stats.top_failing_models(start, end, department)
    unconfirmed = Compared(stats.closed_unconfirmed, start, end, department)

    def per_class(rows):
        counts = {row["key"]: row["count"] for row in rows}
        return [counts.get(value, 0) for value in FaultClass.values]

    return Section(
        slug="repairs",
        title=_("Repairs"),
        kpis=[
            by_class.kpi(_("Repair tickets"), _total, headline=True),
            response.kpi(_("Median response time"), lambda r: r["median_minutes"], unit=_(" min")),
            response.kpi(_("90th percentile response time"), lambda r: r["p90_minutes"], unit=_(" min")),
            repair.kpi(_("Median repair time"), lambda r: r["median_minutes"], unit=_(" min")),
            repair.kpi(_("90th percentile repair time"), lambda r: r["p90_minutes"], unit=_(" min")),
            sla.kpi(_("Response within limit"), lambda r: r["response_rate"], unit="%", headline=True),
            sla.kpi(_("Repair within limit"), lambda r: r["repair_rate"], unit="%"),
            first_fix.kpi(_("First-time fix rate"), lambda r: r["rate"], unit="%"),
            satisfaction.kpi(_("Average satisfaction (1–5)"), lambda r: r["average"]),
            unconfirmed.kpi(_("Closed without the department's confirmation"), lambda r: r["count"], headline=True),
        ],
        charts=[
            Chart(
                _("Repair tickets by fault class"),
                [str(label) for label in FaultClass.labels],
                {
                    _("This period"): per_class(by_class.current),
                    _("Previous period"): per_class(by_class.previous),
                    _("Same period last year"): per_class(by_class.last_year),
                },
            ),
            Chart(
                _("Repair tickets by department"),
                [row["label"] for row in by_department[:15]],
                {_("Tickets"): [row["count"] for row in by_department[:15]]},
                kind="barh",
            ),
        ],
        tables=[
            Table(
                "by-class",
                _("Repair tickets by fault class"),
                [_("Fault class"), _("This period"), _("Previous period"), _("Same period last year")],
                [
                    [str(label), *counts]
                    for label, *counts in zip(
                        FaultClass.labels,
                        per_class(by_class.current),
                        per_class(by_class.previous),
                        per_class(by_class.last_year),
                    )
                ],
                total=[_("Total"), _total(by_class.current), _total(by_class.previous), _total(by_class.last_year)],
            ),
            *(
                Table(
                    slug,
                    title,
                    [column, _("Tickets")],
                    [[row["label"], row["count"]] for row in rows],
                    total=[_("Total"), _total(rows)],
                )
                for slug, title, column, rows in (
                    ("by-category", _("Repair tickets by fault category"), _("Fault category"), by_category),
                    ("by-department", _("Repair tickets by department"), _("Department"), by_department),
                )
            ),
            Table(
                "times",
                _("Response and repair times (minutes)"),
                [pgettext("repair report", "Measure"), _("Tickets measured"), _("Median"), _("90th percentile")],
                [
                    [label, times.current["count"], times.current["median_minutes"], times.current["p90_minutes"]]
                    for label, times in ((_("Response time"), response), (_("Repair time"), repair))
                ],
            ),
            Table(
                "satisfaction",
                _("Satisfaction ratings"),
                [_("Score"), _("Ratings")],
                [[score, count] for score, count in satisfaction.current["by_score"].items()],
                total=[_("Total"), satisfaction.current["rated"]],
            ),
            Table(
                "unconfirmed",
                _("Closed without the department's confirmation"),
                [_("Ticket"), _("Department"), _("Closed on"), _("Reason")],
                [
                    [row["number"], row["department"], row["closed_at"], row["reason"]]
                    for row in unconfirmed.current["tickets"]
                ],
                total=[_("Total"), unconfirmed.current["count"], "", ""],
            ),
            Table(
                "top-models",
                _("Most often failing models"),
                [_("Model"), _("Devices"), _("Tickets")],
                [[row["model"], row["devices"], row["count"]] for row in top_models],
            ),
        ],
        notes=[
            _("Repair time leaves out time spent waiting for the vendor or for parts."),
            _(
                "Closed without the department's confirmation: closed by the IT head with a reason, "
                "counted apart from the tickets the department confirmed."
            ),
        ],
    )
