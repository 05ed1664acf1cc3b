"""Backup runs: recorded by hand or by a script (with its token), and the portal's own scheduled backup."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exceptions import ActionRefused
from portal.validation import validated

from .. import checks
from ..models import BackupRun, BackupTarget, ScriptToken
from ..permissions import may_manage
from .handovers import link_open_handovers

# Data, not interface text: the same values the 0002 migration writes on a fresh install.
PORTAL_TARGET_CODE = "PORTAL-DB"
PORTAL_TARGET_NAME = "信息科管理平台数据库"
PORTAL_SERVER_NAME = "本平台服务器"
PORTAL_SANITY_QUERIES = "SELECT COUNT(*) FROM django_migrations\nSELECT COUNT(*) FROM auth_group"


def portal_target() -> BackupTarget:
    """The portal's own database, a built-in target the scheduled backup and check look after."""
    target = BackupTarget.objects.filter(is_builtin=True).first()
    if target is None:
        try:
            with transaction.atomic():
                target = BackupTarget.objects.create(
                    is_builtin=True,
                    code=PORTAL_TARGET_CODE,
                    name=PORTAL_TARGET_NAME,
                    kind=BackupTarget.Kind.POSTGRESQL
                    if connection.vendor == "postgresql"
                    else BackupTarget.Kind.SQLITE,
                    server=PORTAL_SERVER_NAME,
                    full_every_days=1,
                    incremental_every_hours=None,
                    retention_days=14,
                    offsite_copy=False,
                    auto_verify=True,
                    sanity_queries=PORTAL_SANITY_QUERIES,
                    check_time_limit_minutes=20,
                )
        except IntegrityError:
            target = BackupTarget.objects.get(is_builtin=True)
    return target


def backup_directory() -> Path:
    return Path(settings.MEDIA_ROOT) / "backups" / "portal"


# --- backup runs ----------------------------------------------------------------------------------


def backup_run_record(*, target: BackupTarget, source: str, operator=None, **fields) -> BackupRun:
    """Record one backup run (by hand, from a script or the portal's own backup)."""
    if not target.is_active:
        raise ActionRefused(_("This backup target is no longer in use."))
    run = BackupRun(target=target, source=source, operator=operator, **fields)
    if run.sha256:
        run.sha256 = run.sha256.lower()
    validated(run)
    run.save()
    if operator is not None and run.status == BackupRun.Status.SUCCESS:
        link_open_handovers(successor=operator, backup_run=run)
    return run


def portal_backup_due(target: BackupTarget, now=None) -> bool:
    now = now or timezone.now()
    last = target.runs.successful().order_by("-started_at").values_list("started_at", flat=True).first()
    interval = timedelta(hours=target.incremental_every_hours or target.full_every_days * 24)
    return last is None or now - last >= interval


def portal_backup_create(*, operator=None) -> BackupRun:
    """Back up the portal's own database now: SQLite backup API or ``pg_dump -Fc``; a failure is recorded too."""
    target = portal_target()
    started = timezone.now()
    vendor = connection.vendor
    suffix = "dump" if vendor == "postgresql" else "sqlite3"
    destination = (
        backup_directory() / f"portal-{timezone.localtime(started):%Y%m%d-%H%M%S}-{started.microsecond:06d}.{suffix}"
    )
    fields = {"kind": BackupRun.Kind.FULL, "started_at": started, "location": str(destination)}
    try:
        if vendor == "postgresql":
            counts = checks.back_up_postgresql(
                connection.settings_dict, destination, timeout=target.check_time_limit_minutes * 60
            )
        elif vendor == "sqlite":
            counts = checks.back_up_sqlite(connection.settings_dict["NAME"], destination)
        else:
            raise RuntimeError(_("The portal cannot back up a %(vendor)s database.") % {"vendor": vendor})
        fields.update(
            status=BackupRun.Status.SUCCESS,
            size_bytes=destination.stat().st_size,
            sha256=checks.sha256_of(destination),
            row_counts=counts,
        )
    except Exception as exc:  # noqa: BLE001 — the failure itself is the record the board needs
        stderr = getattr(exc, "stderr", b"") or b""
        detail = stderr.decode(errors="replace") if isinstance(stderr, bytes) else str(stderr)
        fields.update(status=BackupRun.Status.FAILED, error=(f"{exc}\n{detail}".strip())[:4000])
    fields["finished_at"] = max(timezone.now(), started)
    run = backup_run_record(target=target, source=BackupRun.Source.PORTAL, operator=operator, **fields)
    _prune_portal_backups(target)
    return run


def _prune_portal_backups(target):
    """Retention: delete the portal's own backup files past the plan's retention, keeping the newest one."""
    cutoff = timezone.now() - timedelta(days=target.retention_days)
    newest = target.runs.successful().order_by("-started_at").values_list("pk", flat=True).first()
    expired = target.runs.filter(
        source=BackupRun.Source.PORTAL, started_at__lt=cutoff, file_removed_at__isnull=True
    ).exclude(pk=newest)
    for run in expired:
        Path(run.location).unlink(missing_ok=True)
    expired.update(file_removed_at=timezone.now())


# --- script tokens --------------------------------------------------------------------------------


def script_token_issue(*, target: BackupTarget, label: str, by) -> tuple[ScriptToken, str]:
    """A new token for a backup script; the raw value is returned once and only its hash is stored."""
    if not may_manage(by):
        raise ActionRefused(_("Only the DBA or the IT head issues script tokens."))
    raw = ScriptToken.generate()
    token = ScriptToken(target=target, label=label, token_hash=ScriptToken.hash(raw), prefix=raw[:8], created_by=by)
    validated(token)
    token.save()
    return token, raw


def script_token_revoke(*, token: ScriptToken, by) -> ScriptToken:
    if not may_manage(by):
        raise ActionRefused(_("Only the DBA or the IT head revokes script tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = by
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


class TokenRejected(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def script_token_authenticate(raw: str) -> ScriptToken:
    """401 for no or an unknown token; 403 for a revoked one or a target no longer in use."""
    if not raw:
        raise TokenRejected(401, _("A token is required."))
    token = ScriptToken.objects.select_related("target").filter(token_hash=ScriptToken.hash(raw)).first()
    if token is None:
        raise TokenRejected(401, _("Unknown token."))
    if token.revoked_at is not None:
        raise TokenRejected(403, _("This token has been revoked."))
    if not token.target.is_active:
        raise TokenRejected(403, _("This backup target is no longer in use."))
    ScriptToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
