"""The real work behind backups and verifications: dump the portal's own database, re-read a backup
file's checksum, copy a SQLite backup and run PRAGMA integrity_check, list and restore a PostgreSQL
dump into a scratch database. Every step is timed and bounded by a deadline.

This module knows files, processes and database servers; it knows nothing of users or alerts
(services.py records what it reports).
"""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
from django.utils.translation import gettext as _

CHUNK = 1024 * 1024


class CheckTimeout(Exception):
    pass


class Deadline:
    def __init__(self, seconds: float):
        self.ends = time.monotonic() + seconds
        self.seconds = seconds

    def remaining(self) -> float:
        left = self.ends - time.monotonic()
        if left <= 0:
            raise CheckTimeout(_("The check ran past its time limit of %(seconds)d s.") % {"seconds": self.seconds})
        return left

    def expired(self) -> bool:
        return time.monotonic() >= self.ends


@dataclass
class CheckReport:
    """What a check found: the steps (name, seconds, ok, detail), the checksums and counts compared."""

    method: str = "checksum"
    steps: list = field(default_factory=list)
    expected_sha256: str = ""
    found_sha256: str = ""
    counts: list = field(default_factory=list)
    restore_seconds: float | None = None
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @contextmanager
    def step(self, name):
        record = {"step": name, "ok": True, "detail": ""}
        started = time.monotonic()
        try:
            yield record
        except Exception as exc:  # noqa: BLE001 — every failure of a step is evidence, never a crash of the check
            record["ok"] = False
            record["detail"] = str(exc) or type(exc).__name__
            self.errors.append(f"{name}: {record['detail']}")
        finally:
            record["seconds"] = round(time.monotonic() - started, 3)
            self.steps.append(record)

    def fail(self, message):
        self.errors.append(message)

    @property
    def result(self):
        if self.errors:
            return "fail"
        return "warning" if self.warnings else "pass"


def sha256_of(path, deadline: Deadline | None = None) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            if deadline is not None:
                deadline.remaining()
            digest.update(chunk)
    return digest.hexdigest()


# --- the portal's own database -------------------------------------------------------------------


def sqlite_row_counts(conn) -> dict:
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {table: conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}


def back_up_sqlite(source: str, destination: Path) -> dict:
    """Online copy with SQLite's backup API; returns the row counts of the copy itself."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(destination)
    try:
        src.backup(dst)
        return sqlite_row_counts(dst)
    finally:
        dst.close()
        src.close()


def pg_params(settings_dict: dict, dbname: str | None = None) -> dict:
    params = {
        "dbname": dbname or settings_dict["NAME"],
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
    }
    return {key: value for key, value in params.items() if value is not None}


def pg_env(settings_dict: dict) -> dict:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    return env


def pg_row_counts(cursor) -> dict:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM public."{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def back_up_postgresql(settings_dict: dict, destination: Path, *, timeout: float) -> dict:
    """``pg_dump -Fc`` on an exported snapshot, so the row counts taken are exactly what the dump holds."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    conn = psycopg2.connect(**pg_params(settings_dict))
    try:
        conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = pg_row_counts(cursor)
            subprocess.run(
                ["pg_dump", "-Fc", f"--snapshot={snapshot}", "-f", str(destination), settings_dict["NAME"]],
                env=pg_env(settings_dict),
                check=True,
                capture_output=True,
                timeout=timeout,
            )
        conn.rollback()
    finally:
        conn.close()
    return counts


# --- verifying a backup file -------------------------------------------------------------------


def _compare_counts(report, expected: dict, found: dict):
    names = sorted(set(expected) | set(found))
    mismatched = []
    for name in names:
        row = {"name": name, "expected": expected.get(name), "found": found.get(name)}
        report.counts.append(row)
        if expected and row["expected"] != row["found"]:
            mismatched.append(name)
    if mismatched:
        report.fail(
            _("Row counts differ from the backup's record in: %(tables)s") % {"tables": ", ".join(mismatched[:20])}
        )


def _run_sanity_queries(report, execute, queries):
    for query in queries:
        with report.step(_("Sanity query: %(query)s") % {"query": query[:80]}) as record:
            row = execute(query)
            value = row[0] if row else None
            record["detail"] = str(value)
            if not value:
                raise ValueError(_("returned %(value)s, expected a non-zero value") % {"value": value})


def check_checksum(report, path: Path, expected: str, deadline: Deadline):
    with report.step(_("Recompute SHA-256")) as record:
        report.expected_sha256 = expected
        report.found_sha256 = sha256_of(path, deadline)
        record["detail"] = report.found_sha256
        if expected and report.found_sha256 != expected:
            raise ValueError(
                _("checksum mismatch: recorded %(expected)s, computed %(found)s")
                % {"expected": expected, "found": report.found_sha256}
            )
        if not expected:
            report.warnings.append(_("No checksum was recorded with the backup; the computed one is kept as evidence."))


def check_sqlite(report, path: Path, expected_counts: dict, queries: list, deadline: Deadline):
    """Restore = copy the file to scratch space (a SQLite database is its file); then integrity check, row counts
    compared with the backup's and sanity queries on the copy: a restore test, not only an integrity check."""
    report.method = "full_restore"
    with tempfile.TemporaryDirectory(prefix="portal-verify-") as scratch:
        copy = Path(scratch) / "restored.sqlite3"
        restore_started = time.monotonic()
        with report.step(_("Copy to scratch space")):
            shutil.copyfile(path, copy)
        conn = None
        with report.step(_("PRAGMA integrity_check")) as record:
            conn = sqlite3.connect(copy)
            conn.set_progress_handler(lambda: 1 if deadline.expired() else 0, 10_000)
            rows = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
            record["detail"] = "; ".join(rows[:10])
            if rows != ["ok"]:
                raise ValueError(record["detail"])
        report.restore_seconds = round(time.monotonic() - restore_started, 3)
        if not report.steps[-1]["ok"]:
            if conn is not None:
                conn.close()
            return
        try:
            with report.step(_("Count rows")) as record:
                found = sqlite_row_counts(conn)
                record["detail"] = _("%(tables)d tables") % {"tables": len(found)}
            if report.steps[-1]["ok"]:
                _compare_counts(report, expected_counts, found)
            _run_sanity_queries(report, lambda query: conn.execute(query).fetchone(), queries)
        finally:
            conn.close()


def check_postgresql(report, path: Path, expected_counts: dict, queries: list, deadline: Deadline, scratch_server):
    """``pg_restore --list``; then, with a scratch server, restore into a temporary database, count and query, drop it."""
    report.method = "catalogue"
    with report.step(_("pg_restore --list")) as record:
        listing = subprocess.run(
            ["pg_restore", "--list", str(path)], capture_output=True, text=True, timeout=deadline.remaining()
        )
        if listing.returncode != 0:
            raise ValueError(listing.stderr.strip()[:2000])
        entries = [line for line in listing.stdout.splitlines() if line and not line.startswith(";")]
        record["detail"] = _("%(entries)d catalogue entries") % {"entries": len(entries)}
    if not report.steps[-1]["ok"]:
        return
    if scratch_server is None:
        report.warnings.append(_("No PostgreSQL server is available to restore into; only the catalogue was listed."))
        return
    report.method = "full_restore"
    scratch_name = f"portal_verify_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(**pg_params(scratch_server))
    admin.autocommit = True
    try:
        with report.step(_("Create scratch database %(name)s") % {"name": scratch_name}):
            with admin.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{scratch_name}" TEMPLATE template0')
        restore_started = time.monotonic()
        with report.step(_("pg_restore into the scratch database")) as record:
            restored = subprocess.run(
                ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "-d", scratch_name, str(path)],
                env=pg_env(scratch_server),
                capture_output=True,
                text=True,
                timeout=deadline.remaining(),
            )
            if restored.returncode != 0:
                raise ValueError(restored.stderr.strip()[:2000])
        report.restore_seconds = round(time.monotonic() - restore_started, 3)
        if not report.steps[-1]["ok"]:
            return
        conn = psycopg2.connect(
            **pg_params(scratch_server, scratch_name),
            options=f"-c statement_timeout={int(deadline.remaining() * 1000)}",
        )
        try:
            with conn.cursor() as cursor:
                with report.step(_("Count rows")) as record:
                    found = pg_row_counts(cursor)
                    record["detail"] = _("%(tables)d tables") % {"tables": len(found)}
                if report.steps[-1]["ok"]:
                    _compare_counts(report, expected_counts, found)

                def execute(query):
                    cursor.execute(query)
                    return cursor.fetchone()

                _run_sanity_queries(report, execute, queries)
        finally:
            conn.close()
    finally:
        with report.step(_("Drop scratch database")), admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch_name}" WITH (FORCE)')
        admin.close()


def verify_file(
    *, kind: str, path: str, expected_sha256: str, expected_counts: dict, queries: list, seconds: float, scratch_server
):
    """Run every check that fits the artefact; the report says what passed and what failed."""
    report = CheckReport()
    deadline = Deadline(seconds)
    artefact = Path(path)
    with report.step(_("Find the backup file")) as record:
        if not artefact.is_file():
            raise FileNotFoundError(_("No backup file at %(path)s") % {"path": path})
        record["detail"] = _("%(size)d bytes") % {"size": artefact.stat().st_size}
    if report.errors:
        return report
    check_checksum(report, artefact, expected_sha256, deadline)
    try:
        if kind == "sqlite":
            check_sqlite(report, artefact, expected_counts, queries, deadline)
        elif kind == "postgresql":
            check_postgresql(report, artefact, expected_counts, queries, deadline, scratch_server)
    except (CheckTimeout, subprocess.TimeoutExpired) as exc:
        report.fail(str(exc))
    return report
