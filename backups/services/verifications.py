"""Integrity checks and restore tests: recorded by hand with their log, or run by the worker under a lease;
one alert per lapse."""

from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.attachments import attach
from portal.exceptions import ActionRefused
from portal.notifications import notify, users_with_role
from portal.roles import Role
from portal.validation import validated

from .. import checks
from ..models import RESTORE_METHODS, BackupAlert, BackupTarget, Verification
from ..selectors import board_rows
from .handovers import link_open_handovers


def verification_record(*, target, backup_run, operator, witness=None, log_files=(), by=None, **fields) -> Verification:
    """A manual verification or restore test; its log is uploaded as evidence."""
    if not log_files:
        raise ActionRefused(_("Upload the verification log as evidence."))
    if backup_run.target_id != target.pk:
        raise ActionRefused(_("The backup run belongs to another target."))
    reason = method_refusal(fields.get("method"), fields.get("restore_seconds"), fields.get("notes", ""))
    if reason:
        raise ActionRefused(reason)
    verification = Verification(target=target, backup_run=backup_run, operator=operator, witness=witness, **fields)
    validated(verification)
    verification.save()
    attach(verification, log_files, by=by or operator)
    _after_verification(verification)
    return verification


def method_refusal(method, restore_seconds, notes) -> str | None:
    """Why a manual record's evidence does not fit its method: a restore test restores, an integrity check does not."""
    if method in RESTORE_METHODS:
        if restore_seconds is None:
            return _(
                "Backup policy (数据备份工作制度 3): a restore test is a real restore; give the measured restore time."
            )
        if not notes.strip():
            return _("Backup policy (数据备份工作制度 3): say where the backup was restored to and what was compared.")
    elif restore_seconds is not None:
        return _(
            "Backup policy (数据备份工作制度 3): a checksum, integrity check or catalogue listing restores nothing; "
            "record a restore test, or leave the restore time empty."
        )
    return None


def verifiable_run(target: BackupTarget):
    """The newest successful run whose file the worker can read."""
    return (
        target.runs.successful()
        .exclude(location="")
        .filter(file_removed_at__isnull=True)
        .order_by("-started_at", "-pk")
        .first()
    )


def verification_due(target: BackupTarget, now=None) -> bool:
    """Due when the newest backup has never been checked automatically, or the last automatic check is past the interval."""
    if not (target.auto_verify and target.is_active):
        return False
    run = verifiable_run(target)
    if run is None:
        return False
    now = now or timezone.now()
    automatic = target.verifications.filter(is_automatic=True)
    if not automatic.filter(backup_run=run).exists():
        return True
    last = automatic.order_by("-started_at").values_list("started_at", flat=True).first()
    return now - last >= target.verification_interval


def _scratch_server():
    return connection.settings_dict if connection.vendor == "postgresql" else None


def _acquire_lease(target, seconds) -> bool:
    now = timezone.now()
    return bool(
        BackupTarget.objects.filter(pk=target.pk)
        .filter(Q(check_lease_until__isnull=True) | Q(check_lease_until__lt=now))
        .update(check_lease_until=now + timedelta(seconds=seconds))
    )


def _release_lease(target):
    BackupTarget.objects.filter(pk=target.pk).update(check_lease_until=None)


def verification_run_automatic(*, target: BackupTarget, requested_by=None) -> Verification | None:
    """Check the newest readable backup of ``target`` for real, under a lease so two checks never overlap.

    Returns None when another check holds the lease or there is nothing to check.
    """
    seconds = target.check_time_limit_minutes * 60
    if not _acquire_lease(target, seconds + 60):
        return None
    try:
        run = verifiable_run(target)
        if run is None:
            return None
        started = timezone.now()
        report = checks.verify_file(
            kind=target.kind,
            path=run.location,
            expected_sha256=run.sha256,
            expected_counts=run.row_counts,
            queries=target.sanity_query_list,
            seconds=seconds,
            scratch_server=_scratch_server(),
        )
        verification = Verification.objects.create(
            target=target,
            backup_run=run,
            method=report.method,
            result=report.result,
            started_at=started,
            finished_at=max(timezone.now(), started),
            restore_seconds=report.restore_seconds,
            data_as_of=run.started_at,
            expected_sha256=report.expected_sha256,
            found_sha256=report.found_sha256,
            counts=report.counts,
            steps=report.steps,
            error="\n".join(report.errors + report.warnings)[:8000],
            is_automatic=True,
            operator=requested_by,
        )
        _after_verification(verification)
        return verification
    finally:
        _release_lease(target)


def _after_verification(verification):
    if verification.result == Verification.Result.FAIL:
        alert_raise(
            target=verification.target,
            kind=BackupAlert.Kind.VERIFICATION_FAILED,
            lapse_key=f"run:{verification.backup_run_id}",
            detail=verification.error,
            url=verification.get_absolute_url(),
        )
    if verification.operator_id and verification.result == Verification.Result.PASS:
        link_open_handovers(successor=verification.operator, verification=verification)


# --- alerts ---------------------------------------------------------------------------------------


def alert_recipients(target):
    people = [target.responsible_dba, target.deputy] if target.responsible_dba_id else list(users_with_role(Role.DBA))
    return [*people, *users_with_role(Role.IT_HEAD)]


def alert_raise(*, target, kind, lapse_key, detail="", url=""):
    """Create the alert for this lapse and notify; a lapse already alerted is left alone (returns None)."""
    try:
        with transaction.atomic():
            alert = BackupAlert.objects.create(target=target, kind=kind, lapse_key=lapse_key, detail=detail[:4000])
    except IntegrityError:
        return None
    notify(
        alert_recipients(target),
        title=gettext_lazy("Backup alert: %(target)s — %(what)s"),
        params={"target": target.name, "what": BackupAlert.Kind(alert.kind).label},
        body=detail[:1000],
        url=url or target.get_absolute_url(),
    )
    return alert


def lapses_check(now=None) -> int:
    """The hourly check: each plan without a successful backup, a weekly full, a passing integrity check, a real
    restore test or (when it must keep one) an off-site full backup inside its window."""

    now = now or timezone.now()
    raised = 0
    for row in board_rows(now=now):
        target = row.target
        baseline = target.created_at
        checks_to_make = [
            (BackupAlert.Kind.NO_BACKUP, row.last_success_at, target.backup_window),
            (BackupAlert.Kind.NO_FULL, row.last_full_at, target.full_window),
            (BackupAlert.Kind.NO_VERIFICATION, row.last_pass_at, target.verification_window),
            (BackupAlert.Kind.NO_RESTORE, row.last_restore_at, target.verification_window),
        ]
        if target.offsite_copy:
            checks_to_make.append((BackupAlert.Kind.NO_OFFSITE, row.last_offsite_full_at, target.full_window))
        lapsed = set()
        for kind, since, window in checks_to_make:
            if now - (since or baseline) <= window:
                continue
            lapsed.add(kind)
            # No backup at all already says there is no full one: one alert for one lapse.
            if kind == BackupAlert.Kind.NO_FULL and BackupAlert.Kind.NO_BACKUP in lapsed:
                continue
            detail = (
                _("Last success: %(when)s.") % {"when": timezone.localtime(since).strftime("%Y-%m-%d %H:%M")}
                if since
                else _("Never succeeded since the plan was written.")
            )
            key = since.isoformat() if since else "never"
            if alert_raise(target=target, kind=kind, lapse_key=key, detail=str(detail)):
                raised += 1
    return raised
