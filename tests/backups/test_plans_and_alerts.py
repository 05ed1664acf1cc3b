from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone

from backups import services, tasks
from backups.models import BackupAlert, BackupRun, BackupTarget, Verification
from backups.selectors import board_rows
from portal.models import Notification


def _verify(target, run, *, days_ago=1, result=Verification.Result.PASS, operator=None):
    started = timezone.now() - timedelta(days=days_ago)
    return Verification.objects.create(
        target=target,
        backup_run=run,
        method=Verification.Method.FULL_RESTORE,
        result=result,
        started_at=started,
        finished_at=started + timedelta(minutes=20),
        restore_seconds=900,
        operator=operator,
    )


def _row(target):
    return next(row for row in board_rows() if row.target == target)


def test_plan_defaults_follow_the_policy(make_target):
    target = make_target()
    assert target.full_every_days == 7
    assert target.incremental_every_hours == 24
    assert target.verification_interval_days == 7
    assert target.backup_window == timedelta(hours=26)


def test_plan_refuses_a_verification_interval_beyond_two_weeks(make_target):
    with pytest.raises(IntegrityError):
        make_target(verification_interval_days=30)


def test_plan_refuses_the_dba_as_own_deputy(make_target, dba):
    with pytest.raises(IntegrityError):
        make_target(deputy=dba)


def test_board_green_amber_red_with_failures_first(make_target, make_run):
    green = make_target("A-GREEN", name="甲 正常")
    _verify(green, make_run(green, hours_ago=3))
    amber = make_target("B-AMBER", name="乙 注意")
    _verify(amber, make_run(amber, hours_ago=20))
    make_run(amber, hours_ago=2, status=BackupRun.Status.FAILED)
    red = make_target("C-RED", name="丙 超期")
    _verify(red, make_run(red, hours_ago=50), days_ago=2)

    rows = [row for row in board_rows() if row.target in (green, amber, red)]
    assert [(row.target.code, row.status) for row in rows] == [
        ("C-RED", "red"),
        ("B-AMBER", "amber"),
        ("A-GREEN", "green"),
    ]
    assert "no successful backup inside the plan's window" in [str(reason) for reason in rows[0].reasons]


def test_incremental_without_a_weekly_full_is_out_of_policy(make_target, make_run):
    target = make_target()
    _verify(target, make_run(target, hours_ago=3, kind=BackupRun.Kind.INCREMENTAL))
    make_run(target, hours_ago=24 * 8, kind=BackupRun.Kind.FULL)
    assert _row(target).status == "red"


def test_hourly_check_alerts_dba_and_it_head_once_per_lapse(make_target, make_run, dba, it_head, make_user):
    other_dba = make_user("dba")
    target = make_target()
    run = make_run(target, hours_ago=3)
    _verify(target, run)
    tasks.check_backup_lapses.delay()
    assert not BackupAlert.objects.filter(target=target).exists()

    with time_machine.travel(timezone.now() + timedelta(hours=30)):
        services.lapses_check()
        services.lapses_check()
    titles = list(
        Notification.objects.filter(recipient=dba, title__contains=target.name).values_list("title", flat=True)
    )
    assert titles == ["Backup alert: HIS-DB 数据库 — No successful backup inside the plan's window"]
    assert Notification.objects.filter(recipient=it_head, title__contains=target.name).count() == 1
    # Only the plan's responsible DBA (and deputy) hear of it, not every DBA.
    assert not Notification.objects.filter(recipient=other_dba, title__contains=target.name).exists()

    # A new success closes the lapse; the next lapse is a new alert.
    with time_machine.travel(timezone.now() + timedelta(hours=31)):
        make_run(target, hours_ago=0)
    with time_machine.travel(timezone.now() + timedelta(hours=60)):
        services.lapses_check()
    assert BackupAlert.objects.filter(target=target, kind=BackupAlert.Kind.NO_BACKUP).count() == 2
    assert Notification.objects.filter(recipient=dba, title__contains=target.name).count() == 2


def test_no_passing_verification_inside_the_interval_alerts(make_target, make_run, dba):
    target = make_target(verification_interval_days=14)
    run = make_run(target, hours_ago=2)
    _verify(target, run, days_ago=10)
    services.lapses_check()
    assert not BackupAlert.objects.filter(target=target).exists()
    _verify(target, run, days_ago=1, result=Verification.Result.FAIL)
    with time_machine.travel(timezone.now() + timedelta(days=6)):
        make_run(target, hours_ago=1)
        services.lapses_check()
    alert = BackupAlert.objects.get(target=target)
    assert alert.kind == BackupAlert.Kind.NO_VERIFICATION


def test_new_target_has_its_window_before_alerting(make_target):
    target = make_target(created_at=timezone.now())
    services.lapses_check()
    assert not BackupAlert.objects.filter(target=target).exists()


def test_target_without_a_dba_alerts_every_dba(make_target, make_user, it_head):
    dba_a, dba_b = make_user("dba"), make_user("dba")
    target = make_target(responsible_dba=None, created_at=timezone.now() - timedelta(days=3))
    services.lapses_check()
    assert Notification.objects.filter(recipient__in=[dba_a, dba_b], title__contains=target.name).count() == 2


def test_failed_run_must_say_why(make_target):
    target = make_target()
    now = timezone.now()
    from portal.exceptions import ActionRefused

    with pytest.raises(ActionRefused):
        services.backup_run_record(
            target=target,
            source=BackupRun.Source.MANUAL,
            status=BackupRun.Status.FAILED,
            started_at=now,
            finished_at=now,
        )
    assert not target.runs.exists()


def test_run_ending_before_it_starts_is_refused(make_target):
    from portal.exceptions import ActionRefused

    target = make_target()
    now = timezone.now()
    with pytest.raises(ActionRefused, match="end"):
        services.backup_run_record(
            target=target,
            source=BackupRun.Source.MANUAL,
            status=BackupRun.Status.SUCCESS,
            started_at=now,
            finished_at=now - timedelta(hours=1),
        )


def test_inactive_target_is_not_on_the_board(make_target):
    target = make_target(is_active=False)
    assert target not in [row.target for row in board_rows()]
    assert (
        BackupTarget.objects.filter(is_active=True).exclude(pk__in=[row.target.pk for row in board_rows()]).count() == 0
    )
