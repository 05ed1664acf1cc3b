"""The disclosure section of the statistical report (信息公开), from disclosure.stats only."""

from django.utils.translation import gettext as _

from reports import Chart, Compared, Section, Table

from . import stats


def _total(rows):
    return sum(row["count"] for row in rows)


def section(start, end, department=None) -> Section:
    formed = Compared(stats.formed_by_attribute, start, end, department)
    published = stats.published_by_category(start, end, department)
    timeliness = Compared(stats.entry_timeliness, start, end, department)
    notices = stats.notices(start, end, department)

    kpis = [
        formed.kpi(_("Items signed off"), _total, headline=True),
        Compared(stats.published_by_category, start, end, department).kpi(_("Items published"), _total),
        timeliness.kpi(_("Entered within 20 working days"), lambda r: r["rate"], unit="%"),
    ]
    charts = [
        Chart(
            _("Items signed off by disclosure attribute"),
            [row["label"] for row in formed.current],
            {
                _("This period"): [row["count"] for row in formed.current],
                _("Same period last year"): [row["count"] for row in formed.last_year],
            },
        )
    ]
    tables = [
        Table(
            "by-attribute",
            _("Items signed off by disclosure attribute"),
            [_("Attribute"), _("This period"), _("Previous period"), _("Same period last year")],
            [
                [now["label"], now["count"], before["count"], year_ago["count"]]
                for now, before, year_ago in zip(formed.current, formed.previous, formed.last_year)
            ],
            total=[_("Total"), _total(formed.current), _total(formed.previous), _total(formed.last_year)],
        ),
        Table(
            "by-category",
            _("Items published by catalogue heading"),
            [_("Heading"), _("Items")],
            [[row["category"], row["count"]] for row in published],
            total=[_("Total"), _total(published)],
        ),
        Table(
            "timeliness",
            _("Entry timeliness and emergency handling"),
            [_("Proactive items published"), _("On time"), _("On-time rate (%)"), _("Corrections"), _("Withdrawals")],
            [
                [
                    timeliness.current["published"],
                    timeliness.current["on_time"],
                    timeliness.current["rate"],
                    notices["corrections"],
                    notices["withdrawals"],
                ]
            ],
        ),
    ]
    if department is None:
        # Requests are answered by the hospital, not by a department.
        requests = Compared(stats.requests_summary, start, end)
        responses = stats.responses_by_type(start, end)
        kpis += [
            requests.kpi(_("Disclosure requests received"), lambda r: r["received"]),
            requests.kpi(_("Requests answered on time"), lambda r: r["rate"], unit="%", headline=True),
        ]
        tables += [
            Table(
                "requests",
                _("Disclosure requests"),
                [
                    _("Received"),
                    _("By persons"),
                    _("By organisations"),
                    _("Answered"),
                    _("On time"),
                    _("On-time rate (%)"),
                    _("Extended"),
                    _("Open past due"),
                ],
                [
                    [
                        requests.current[k]
                        for k in (
                            "received",
                            "by_person",
                            "by_organisation",
                            "answered",
                            "on_time",
                            "rate",
                            "extended",
                            "overdue_open",
                        )
                    ]
                ],
            ),
            Table(
                "responses",
                _("Requests answered by response type"),
                [_("Response type"), _("Requests")],
                [[row["label"], row["count"]] for row in responses],
                total=[_("Total"), _total(responses)],
            ),
        ]
    return Section(slug="disclosure", title=_("Information disclosure"), kpis=kpis, charts=charts, tables=tables)
