"""A leaving DBA's successor must run a backup AND a restore test; the accounts departure gate reads the link."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone

from backups import services
from backups.models import BackupRun, DbaHandover, Verification
from backups.selectors import dba_handover_status
from portal.exceptions import ActionRefused
from portal.models import Notification


@pytest.fixture
def successor(make_user):
    return make_user("dba", username="succ", full_name="王磊")


@pytest.fixture
def handover(dba, successor, it_head):
    return services.dba_handover_start(departing_dba=dba, successor=successor, by=it_head, plan_handed_over=True)


def log():
    return [SimpleUploadedFile("restore.log", "恢复完成，核对记录数一致\n".encode(), content_type="text/plain")]


def record_run(target, operator, *, status=BackupRun.Status.SUCCESS, at=None):
    at = at or timezone.now()
    return services.backup_run_record(
        target=target,
        source=BackupRun.Source.MANUAL,
        operator=operator,
        status=status,
        started_at=at,
        finished_at=at,
        error="" if status == BackupRun.Status.SUCCESS else "失败",
    )


def record_test(target, run, operator, *, result=Verification.Result.PASS, witness=None):
    now = timezone.now()
    return services.verification_record(
        target=target,
        backup_run=run,
        operator=operator,
        witness=witness,
        log_files=log(),
        method=Verification.Method.FULL_RESTORE,
        result=result,
        started_at=now,
        finished_at=now + timedelta(minutes=30),
        restore_seconds=1500,
        notes="恢复到测试库，核对记录数一致",
        error="" if result == Verification.Result.PASS else "记录数不一致",
    )


def test_no_handover_means_the_dba_may_not_leave(dba):
    ok, reason = dba_handover_status(dba)
    assert ok is False
    assert "No DBA handover" in reason


def test_successor_is_notified_and_the_gate_says_what_is_missing(handover, dba, successor):
    assert Notification.objects.filter(recipient=successor, title__contains=handover.number).exists()
    ok, reason = dba_handover_status(dba)
    assert not ok
    assert handover.number in reason and "a successful backup and a passing restore test" in reason


def test_successors_own_backup_and_restore_test_complete_the_handover(handover, dba, successor, it_head, make_target):
    target = make_target()
    run = record_run(target, successor)
    handover.refresh_from_db()
    assert handover.backup_run == run and not handover.is_complete
    assert dba_handover_status(dba) == (False, dba_handover_status(dba)[1])
    assert "a passing restore test" in dba_handover_status(dba)[1]

    test = record_test(target, run, successor, witness=dba)
    handover.refresh_from_db()
    assert handover.verification == test
    assert handover.is_complete
    assert dba_handover_status(dba) == (True, "")
    assert Notification.objects.filter(recipient=dba, title__contains="complete").exists()


def test_evidence_by_someone_else_or_before_the_start_does_not_count(handover, dba, successor, make_target):
    target = make_target()
    by_departing = record_run(target, dba)
    before = record_run(target, successor, at=handover.started_at - timedelta(hours=1))
    failed = record_run(target, successor, status=BackupRun.Status.FAILED)
    handover.refresh_from_db()
    assert handover.backup_run is None
    for run, message in (
        (by_departing, "must be run by the successor"),
        (before, "before the handover started"),
        (failed, "did not succeed"),
    ):
        with pytest.raises(ActionRefused, match=message):
            services.dba_handover_link(handover=handover, by=dba, backup_run=run)
    assert dba_handover_status(dba)[0] is False


def test_a_failed_restore_test_is_not_linked(handover, dba, successor, make_target):
    target = make_target()
    run = record_run(target, successor)
    failed = record_test(target, run, successor, result=Verification.Result.FAIL)
    handover.refresh_from_db()
    assert handover.verification is None
    with pytest.raises(ActionRefused, match="did not pass"):
        services.dba_handover_link(handover=handover, by=successor, verification=failed)
    assert dba_handover_status(dba)[0] is False


def test_the_successor_cannot_be_the_departing_dba(dba, it_head):
    with pytest.raises(ActionRefused, match="successor cannot be the departing DBA"):
        services.dba_handover_start(departing_dba=dba, successor=dba, by=it_head, plan_handed_over=True)
    with pytest.raises(IntegrityError):
        DbaHandover.objects.create(number="X", departing_dba=dba, successor=dba, created_by=it_head)


def test_only_a_dba_hands_over_and_the_plan_comes_first(dba, successor, it_head, it_officer):
    with pytest.raises(ActionRefused, match="is not a DBA"):
        services.dba_handover_start(departing_dba=it_officer, successor=dba, by=it_head, plan_handed_over=True)
    with pytest.raises(ActionRefused, match="backup plan"):
        services.dba_handover_start(departing_dba=dba, successor=successor, by=it_head, plan_handed_over=False)
    with pytest.raises(ActionRefused, match="Only the DBA or the IT head"):
        services.dba_handover_start(departing_dba=dba, successor=successor, by=it_officer, plan_handed_over=True)


def test_one_open_handover_per_dba(handover, dba, it_head, make_user):
    with pytest.raises(ActionRefused, match="already has a handover"):
        services.dba_handover_start(departing_dba=dba, successor=make_user("dba"), by=it_head, plan_handed_over=True)


def test_manual_verification_needs_its_log_and_a_witness_other_than_the_operator(make_target, make_run, dba):
    target = make_target()
    run = make_run(target)
    now = timezone.now()
    fields = {
        "method": Verification.Method.FULL_RESTORE,
        "result": Verification.Result.PASS,
        "started_at": now,
        "finished_at": now,
        "restore_seconds": 0,
        "notes": "恢复到测试库",
    }
    with pytest.raises(ActionRefused, match="Upload the verification log"):
        services.verification_record(target=target, backup_run=run, operator=dba, log_files=[], **fields)
    with pytest.raises(ActionRefused, match="witness"):
        services.verification_record(
            target=target, backup_run=run, operator=dba, witness=dba, log_files=log(), **fields
        )
    assert not target.verifications.exists()


def test_check_requested_by_the_successor_counts_as_their_restore_test(
    handover, dba, successor, django_capture_on_commit_callbacks
):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the SQLite loop")
    from backups import tasks

    target = services.portal_target()
    run = services.portal_backup_create(operator=successor)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.verify_target.delay_on_commit(target.pk, successor.pk)
    handover.refresh_from_db()
    assert handover.backup_run == run
    assert handover.verification.operator == successor
    assert dba_handover_status(dba) == (True, "")
