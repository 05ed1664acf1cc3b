from datetime import date, datetime, timedelta

import time_machine
from django.utils import timezone

from backups import stats
from backups.models import BackupRun, Verification

TZ = timezone.get_current_timezone()


def at(day, hour=2):
    return datetime(2026, 11, day, hour, tzinfo=TZ)


@time_machine.travel(datetime(2026, 11, 30, 12, tzinfo=TZ))
def test_report_numbers_for_a_period(make_target, make_run):
    his = make_target("HIS-DB", verification_interval_days=7)
    pacs = make_target("PACS", verification_interval_days=14)
    runs = []
    for day in range(1, 15):
        status = BackupRun.Status.FAILED if day in (3, 9) else BackupRun.Status.SUCCESS
        runs.append(
            BackupRun.objects.create(
                target=his,
                started_at=at(day),
                finished_at=at(day, 3),
                status=status,
                error="写入错误" if status == "failed" else "",
                size_bytes=1024,
            )
        )
    BackupRun.objects.create(target=his, started_at=at(20), finished_at=at(20, 3), status="success")
    for day, result, seconds in ((2, "pass", 600), (9, "pass", 1200), (10, "fail", 3000)):
        Verification.objects.create(
            target=his,
            backup_run=runs[0],
            method="full_restore",
            result=result,
            started_at=at(day, 9),
            finished_at=at(day, 10),
            restore_seconds=seconds,
        )

    start, end = date(2026, 11, 1), date(2026, 11, 14)
    assert stats.backup_success_rate(start, end) == {"total": 14, "succeeded": 12, "rate": round(12 / 14, 4)}
    assert stats.backup_volume_bytes(start, end) == 12 * 1024
    # 14 days: two weekly tests for HIS, one biweekly for PACS (and the portal's own, weekly, if present).
    due = stats.verifications_done_vs_due(start, end)
    assert due["done"] == 3
    assert due["due"] >= 3
    assert stats.verification_pass_rate(start, end) == {"total": 3, "passed": 2, "failed": 1, "rate": round(2 / 3, 4)}
    assert stats.median_restore_seconds(start, end) == 1200
    assert stats.median_restore_seconds(date(2026, 11, 1), date(2026, 11, 9)) == 900
    assert stats.median_restore_seconds(date(2026, 10, 1), date(2026, 10, 9)) is None
    out = stats.targets_out_of_policy()
    assert pacs.name in out["targets"] and his.name in out["targets"]
    assert set(stats.summary(start, end)) >= {
        "backups",
        "verifications",
        "pass_rate",
        "median_restore_seconds",
        "out_of_policy",
    }


def test_empty_period_has_no_rates(db):
    day = timezone.localdate() - timedelta(days=400)
    assert stats.backup_success_rate(day, day)["rate"] is None
    assert stats.verification_pass_rate(day, day)["rate"] is None
