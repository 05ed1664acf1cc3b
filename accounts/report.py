"""The access section of the statistical report (permissions, departures, privileged accounts, 防统方), from accounts.stats only."""

from django.utils import timezone
from django.utils.translation import gettext as _

from reports import KPI, Chart, Compared, Section, Table

from . import stats
from .models import PermissionRequest, Tier


def _total(rows):
    return sum(row["count"] for row in rows)


def section(start, end, department=None) -> Section:
    requests = Compared(stats.requests_by_type_and_system, start, end, department)
    processing = Compared(stats.request_processing_time, start, end, department)
    departures = Compared(stats.departures_cleared, start, end, department)
    queries = Compared(stats.sensitive_queries, start, end, department)
    rotations = stats.overdue_rotations(min(end, timezone.localdate()))

    kinds = PermissionRequest.Kind
    by_kind = dict.fromkeys(kinds.values, 0)
    by_system = {}
    for row in requests.current:
        by_kind[row["kind"]] += row["count"]
        counts = by_system.setdefault(row["system"], dict.fromkeys(kinds.values, 0))
        counts[row["kind"]] += row["count"]
    system_rows = [[system, *counts.values(), sum(counts.values())] for system, counts in by_system.items()]

    kpis = [
        requests.kpi(_("Permission requests"), _total, headline=True),
        processing.kpi(_("Requests completed"), lambda r: r["completed"]),
        processing.kpi(_("Median processing time"), lambda r: r["median_hours"], unit=_(" h")),
        departures.kpi(_("Departures cleared"), lambda r: r["departures"]),
        departures.kpi(_("Transfers cleared"), lambda r: r["transfers"]),
        departures.kpi(_("Median days to clear access"), lambda r: r["median_days_to_clear"], unit=_(" days")),
        queries.kpi(_("Sensitive queries with approval"), lambda r: r["with_approval"]),
        queries.kpi(_("Sensitive queries without approval"), lambda r: r["without_approval"], headline=True),
    ]
    tables = [
        Table(
            "requests",
            _("Permission requests by system and type"),
            [_("Information system"), *[str(label) for label in kinds.labels], _("Total")],
            system_rows,
            total=[_("Total"), *by_kind.values(), _total(requests.current)],
        ),
        Table(
            "departures",
            _("Departures and transfers cleared"),
            [_("Departures"), _("Transfers"), _("Median days to clear access")],
            [
                [
                    departures.current["departures"],
                    departures.current["transfers"],
                    departures.current["median_days_to_clear"],
                ]
            ],
        ),
        Table(
            "sensitive-queries",
            _("Sensitive statistics queries"),
            [_("With approval"), _("Without approval"), _("Reviewed")],
            [[queries.current["with_approval"], queries.current["without_approval"], queries.current["reviewed"]]],
        ),
    ]
    if department is None:
        # Privileged accounts are hospital-wide; a department's report leaves them out.
        kpis.append(KPI(_("Privileged accounts with overdue password change"), sum(rotations.values())))
        tables.append(
            Table(
                "rotations",
                _("Privileged accounts with overdue password change, by tier"),
                [_("Tier"), _("Accounts")],
                [[str(Tier(tier).label), count] for tier, count in rotations.items()],
                total=[_("Total"), sum(rotations.values())],
            )
        )
    return Section(
        slug="access",
        title=_("Access"),
        kpis=kpis,
        charts=[
            Chart(
                _("Permission requests by type"),
                [str(label) for label in kinds.labels],
                {_("Requests"): list(by_kind.values())},
            ),
            Chart(
                _("Sensitive statistics queries"),
                [_("With approval"), _("Without approval")],
                {
                    _("This period"): [queries.current["with_approval"], queries.current["without_approval"]],
                    _("Previous period"): [queries.previous["with_approval"], queries.previous["without_approval"]],
                },
            ),
        ],
        tables=tables,
        notes=[_("Overdue password changes are counted on the last day of the period (or today, if earlier).")],
    )
