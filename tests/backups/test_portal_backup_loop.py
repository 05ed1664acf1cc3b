"""The whole loop on the default setup (SQLite): the tick backs up the portal's own database, the check
verifies that file for real, and a flipped byte makes the next check fail and alerts the DBA exactly once."""

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from backups import checks, services, tasks
from backups.models import BackupAlert, BackupRun, Verification
from backups.selectors import board_rows
from backups.services import verifications
from portal.models import Notification

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite loop; PostgreSQL has its own test")


@pytest.fixture
def portal(db, dba):
    target = services.portal_target()
    target.responsible_dba = dba
    target.save()
    return target


def test_tick_backs_up_the_portal_database_and_the_check_passes(portal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.back_up_portal_database.delay()
    run = portal.runs.get()
    assert run.status == BackupRun.Status.SUCCESS
    assert run.source == BackupRun.Source.PORTAL
    path = Path(run.location)
    assert path.is_file() and path.stat().st_size == run.size_bytes
    assert run.sha256 == checks.sha256_of(path)
    assert run.row_counts["django_migrations"] > 0
    # The file is a real SQLite database.
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    verification = portal.verifications.get()
    assert verification.result == Verification.Result.PASS, verification.error
    # The copy into scratch space, opened and its rows compared with the backup's, is a real restore test.
    assert verification.method == Verification.Method.FULL_RESTORE and verification.is_restore
    assert verification.backup_run == run
    assert verification.found_sha256 == verification.expected_sha256 == run.sha256
    step_names = [step["step"] for step in verification.steps]
    assert "PRAGMA integrity_check" in step_names
    assert all(step["ok"] and step["seconds"] >= 0 for step in verification.steps)
    compared = {row["name"]: row for row in verification.counts}
    assert compared["django_migrations"]["expected"] == compared["django_migrations"]["found"] > 0
    assert verification.restore_seconds is not None
    assert verification.data_as_of == run.started_at

    row = next(row for row in board_rows() if row.target == portal)
    assert row.status == "green", row.reasons


def test_second_tick_does_not_back_up_again_until_the_plan_allows(portal):
    tasks.back_up_portal_database.delay()
    assert tasks.back_up_portal_database.delay().get() == "not due"
    assert portal.runs.count() == 1
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        tasks.back_up_portal_database.delay()
    assert portal.runs.count() == 2


def test_flipped_byte_fails_the_next_check_with_both_checksums_and_alerts_the_dba_once(portal, dba, it_head):
    run = services.portal_backup_create()
    assert services.verification_run_automatic(target=portal).result == Verification.Result.PASS
    path = Path(run.location)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))

    failed = services.verification_run_automatic(target=portal)
    assert failed.result == Verification.Result.FAIL
    assert failed.expected_sha256 == run.sha256
    assert failed.found_sha256 == checks.sha256_of(path) != run.sha256
    assert run.sha256 in failed.error and failed.found_sha256 in failed.error
    assert Notification.objects.filter(recipient=dba, title__contains=portal.name).count() == 1
    assert Notification.objects.filter(recipient=it_head, title__contains=portal.name).count() == 1

    again = services.verification_run_automatic(target=portal)
    assert again.result == Verification.Result.FAIL
    assert Notification.objects.filter(recipient=dba, title__contains=portal.name).count() == 1
    assert BackupAlert.objects.filter(target=portal, kind=BackupAlert.Kind.VERIFICATION_FAILED).count() == 1
    row = next(row for row in board_rows() if row.target == portal)
    assert row.status == "red"


def test_missing_file_is_a_failed_check_with_the_path(portal):
    run = services.portal_backup_create()
    Path(run.location).unlink()
    verification = services.verification_run_automatic(target=portal)
    assert verification.result == Verification.Result.FAIL
    assert run.location in verification.error


def test_check_past_its_time_limit_is_recorded_as_failed(portal, monkeypatch):
    services.portal_backup_create()
    monkeypatch.setattr(checks.Deadline, "expired", lambda self: True)
    verification = services.verification_run_automatic(target=portal)
    assert verification.result == Verification.Result.FAIL
    assert "interrupted" in verification.error


def test_a_held_lease_means_the_second_check_does_not_run(portal):
    services.portal_backup_create()
    assert verifications._acquire_lease(portal, 600)
    assert services.verification_run_automatic(target=portal) is None
    assert not portal.verifications.exists()
    verifications._release_lease(portal)
    assert services.verification_run_automatic(target=portal) is not None


def test_due_verifications_tick_checks_only_what_is_due(portal, django_capture_on_commit_callbacks):
    services.portal_backup_create()
    assert services.verification_due(portal)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.queue_due_verifications.delay()
    assert portal.verifications.count() == 1
    assert not services.verification_due(portal)
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert services.verification_due(portal)


def test_failed_portal_backup_is_recorded_with_its_error(portal, monkeypatch):
    def broken(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(checks, "back_up_sqlite", broken)
    run = services.portal_backup_create()
    assert run.status == BackupRun.Status.FAILED
    assert "disk full" in run.error


def test_retention_removes_old_portal_backup_files_but_keeps_the_newest(portal):
    old = services.portal_backup_create()
    with time_machine.travel(timezone.now() + timedelta(days=portal.retention_days + 1)):
        new = services.portal_backup_create()
    old.refresh_from_db()
    assert old.file_removed_at is not None and not Path(old.location).exists()
    assert Path(new.location).exists()
    assert services.verifiable_run(portal) == new
