"""The machine-room inspection section of the statistical report, from inspections.stats only."""

from django.utils.translation import gettext as _

from reports import Chart, Compared, Section, Table

from . import stats
from .models import TemplateItem


def section(start, end, department=None) -> Section | None:
    if department is not None:
        # Machine-room inspections are the IT department's, not any other department's.
        return None
    compliance = Compared(stats.compliance_rate, start, end)
    missed = stats.missed_rounds(start, end)
    abnormal = Compared(stats.abnormal_items_by_group, start, end)
    readings = stats.reading_summary(start, end)
    visits = stats.visitors_per_period(start, end)
    measures = {
        TemplateItem.Measure.TEMPERATURE: _("Temperature (°C)"),
        TemplateItem.Measure.HUMIDITY: _("Humidity (%)"),
    }
    workstations = _("Workstation maintenance")

    return Section(
        slug="inspections",
        title=_("Machine-room inspections"),
        kpis=[
            compliance.kpi(_("Inspection compliance"), lambda r: r["rate"], unit="%", headline=True),
            compliance.kpi(_("Rounds done"), lambda r: r["done"]),
            compliance.kpi(_("Missed inspections"), lambda r: r["due"] - r["done"]),
            abnormal.kpi(_("Abnormal findings"), lambda rows: sum(row["count"] for row in rows)),
        ],
        charts=[
            Chart(
                _("Abnormal findings by item group"),
                [row["label"] for row in abnormal.current],
                {_("Findings"): [row["count"] for row in abnormal.current]},
                kind="barh",
            )
        ]
        if abnormal.current
        else [],
        tables=[
            Table(
                "compliance",
                _("Inspection compliance by machine room"),
                [_("Machine room"), _("Rounds due"), _("Rounds done"), _("Missed"), _("Compliance (%)")],
                [
                    [row["room"] or workstations, row["due"], row["done"], row["missed"], row["rate"]]
                    for row in compliance.current["rooms"]
                ],
                total=[
                    _("Total"),
                    compliance.current["due"],
                    compliance.current["done"],
                    compliance.current["due"] - compliance.current["done"],
                    compliance.current["rate"],
                ],
            ),
            Table(
                "missed",
                _("Missed inspections"),
                [_("Machine room"), _("Inspection template"), _("Missed")],
                [[row["room__name"] or workstations, row["template__name"], row["count"]] for row in missed],
                total=[_("Total"), "", sum(row["count"] for row in missed)],
            ),
            Table(
                "abnormal",
                _("Abnormal findings by item group"),
                [_("Item group"), _("Findings"), _("Still open")],
                [[row["label"], row["count"], row["open"]] for row in abnormal.current],
                total=[_("Total"), sum(r["count"] for r in abnormal.current), sum(r["open"] for r in abnormal.current)],
            ),
            Table(
                "readings",
                _("Temperature and humidity readings"),
                [_("Machine room"), _("Measure"), _("Minimum"), _("Maximum"), _("Mean"), _("Readings")],
                [
                    [
                        row["room"],
                        str(measures.get(row["measure"], row["measure"])),
                        row["minimum"],
                        row["maximum"],
                        row["mean"],
                        row["readings"],
                    ]
                    for row in readings
                ],
            ),
            Table(
                "visitors",
                _("Visitor register"),
                [_("Month"), _("Registered"), _("Admitted"), _("Rejected")],
                [[f"{row['month']:%Y-%m}", row["registered"], row["admitted"], row["rejected"]] for row in visits],
                total=[
                    _("Total"),
                    sum(r["registered"] for r in visits),
                    sum(r["admitted"] for r in visits),
                    sum(r["rejected"] for r in visits),
                ],
            ),
        ],
        notes=[_("Policy range: temperature 18–28 °C, humidity 35–75 %.")],
    )
