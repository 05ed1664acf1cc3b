"""The backups section of the statistical report, from backups.stats only."""

from django.utils.translation import gettext as _

from reports import KPI, Chart, Compared, Section, Table

from . import stats


def _percent(rate):
    return None if rate is None else round(rate * 100, 1)


def section(start, end, department=None) -> Section | None:
    if department is not None:
        # The backup register is hospital-wide: a department's report has no backups section.
        return None
    runs = Compared(stats.backup_success_rate, start, end)
    verifications = Compared(stats.verifications_done_vs_due, start, end)
    passes = Compared(stats.verification_pass_rate, start, end)
    restore = Compared(stats.median_restore_seconds, start, end)
    volume = stats.backup_volume_bytes(start, end)
    out_of_policy = stats.targets_out_of_policy()

    return Section(
        slug="backups",
        title=_("Data backups"),
        kpis=[
            runs.kpi(_("Backup runs"), lambda r: r["total"]),
            runs.kpi(_("Backup success rate"), lambda r: _percent(r["rate"]), unit="%", headline=True),
            verifications.kpi(_("Verifications done"), lambda r: r["done"]),
            verifications.kpi(_("Verifications due"), lambda r: r["due"]),
            passes.kpi(_("Verification pass rate"), lambda r: _percent(r["rate"]), unit="%"),
            restore.kpi(_("Median restore time"), unit=_(" s")),
            KPI(_("Backup targets out of policy now"), out_of_policy["count"], headline=True),
        ],
        charts=[
            Chart(
                _("Backup runs and verifications"),
                [_("Backup runs"), _("Succeeded"), _("Verifications done"), _("Verifications due")],
                {
                    period: [result[0]["total"], result[0]["succeeded"], result[1]["done"], result[1]["due"]]
                    for period, result in (
                        (_("This period"), (runs.current, verifications.current)),
                        (_("Previous period"), (runs.previous, verifications.previous)),
                    )
                },
            )
        ],
        tables=[
            Table(
                "runs",
                _("Backup runs"),
                [_("Runs"), _("Succeeded"), _("Success rate (%)"), _("Volume backed up (GB)")],
                [
                    [
                        runs.current["total"],
                        runs.current["succeeded"],
                        _percent(runs.current["rate"]),
                        round(volume / 1024**3, 2),
                    ]
                ],
            ),
            Table(
                "verifications",
                _("Integrity checks and restore tests"),
                [
                    _("Verifications due"),
                    _("Verifications done"),
                    _("Passed"),
                    _("Failed"),
                    _("Pass rate (%)"),
                    _("Median restore time (s)"),
                ],
                [
                    [
                        verifications.current["due"],
                        verifications.current["done"],
                        passes.current["passed"],
                        passes.current["failed"],
                        _percent(passes.current["rate"]),
                        restore.current,
                    ]
                ],
            ),
            Table(
                "out-of-policy",
                _("Backup targets out of policy now"),
                [_("Backup target")],
                [[name] for name in out_of_policy["targets"]],
                total=[_("%(count)d of %(in_use)d targets in use") % out_of_policy],
            ),
        ],
    )
