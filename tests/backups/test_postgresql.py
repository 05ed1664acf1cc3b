"""On PostgreSQL (CI): a real ``pg_dump -Fc`` of the portal's database is restored into a scratch database,
its row counts compared with those taken at the dump's snapshot, and the scratch database dropped."""

from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from backups import checks, services
from backups.models import BackupRun, BackupTarget, Verification

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs the PostgreSQL test database")


def _scratch_databases():
    conn = psycopg2.connect(**checks.pg_params(connection.settings_dict))
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE 'portal_verify_%%'")
            return {row[0] for row in cursor.fetchall()}
    finally:
        conn.close()


def test_dump_restore_into_scratch_database_and_compare_row_counts(db, dba):
    target = services.portal_target()
    assert target.kind == BackupTarget.Kind.POSTGRESQL
    before = _scratch_databases()
    run = services.portal_backup_create()
    assert run.status == BackupRun.Status.SUCCESS, run.error
    assert Path(run.location).read_bytes()[:5] == b"PGDMP"
    assert run.row_counts["django_migrations"] > 0

    verification = services.verification_run_automatic(target=target)
    assert verification.result == Verification.Result.PASS, verification.error
    assert verification.method == Verification.Method.FULL_RESTORE
    names = [step["step"] for step in verification.steps]
    assert "pg_restore --list" in " ".join(names)
    assert any(name.startswith("Create scratch database") for name in names)
    compared = {row["name"]: row for row in verification.counts}
    assert compared["django_migrations"]["found"] == run.row_counts["django_migrations"]
    assert all(row["expected"] == row["found"] for row in verification.counts)
    assert verification.restore_seconds > 0
    assert _scratch_databases() == before


def test_corrupt_dump_fails_the_restore_with_the_error_and_drops_the_scratch_database(db, dba):
    target = services.portal_target()
    before = _scratch_databases()
    run = services.portal_backup_create()
    path = Path(run.location)
    data = bytearray(path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = b"\0" * 64
    path.write_bytes(bytes(data))
    verification = services.verification_run_automatic(target=target)
    assert verification.result == Verification.Result.FAIL
    assert verification.found_sha256 != verification.expected_sha256
    assert _scratch_databases() == before
