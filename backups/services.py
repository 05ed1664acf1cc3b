"""The rules of backup verification: recording runs and tests, the portal's own backup, automatic
checks under a lease, one alert per lapse, media custody, the server operation log, DBA handovers."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.attachments import attach
from portal.exceptions import ActionRefused
from portal.notifications import notify, users_with_role
from portal.numbering import next_number
from portal.roles import Role, has_role

from . import checks
from .models import (
    BackupAlert,
    BackupMedium,
    BackupRun,
    BackupTarget,
    CustodyHandover,
    DbaHandover,
    MediaStocktake,
    ScriptToken,
    ServerOperation,
    StocktakeLine,
    Verification,
)

# Data, not interface text: the same values the 0002 migration writes on a fresh install.
PORTAL_TARGET_CODE = "PORTAL-DB"
PORTAL_TARGET_NAME = "信息科管理平台数据库"
PORTAL_SERVER_NAME = "本平台服务器"
PORTAL_SANITY_QUERIES = "SELECT COUNT(*) FROM django_migrations\nSELECT COUNT(*) FROM auth_group"


def _validated(instance):
    # A protected FSM state cannot be re-assigned by clean_fields; transitions guard it instead.
    exclude = ["state"] if hasattr(instance, "state") else None
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise ActionRefused(
            " ".join(message for messages in error.message_dict.values() for message in messages)
        ) from error
    return instance


# --- targets --------------------------------------------------------------------------------------


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
    _validated(run)
    run.save()
    if operator is not None and run.status == BackupRun.Status.SUCCESS:
        _link_open_handovers(successor=operator, backup_run=run)
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
    if not has_role(by, Role.DBA, Role.IT_HEAD):
        raise ActionRefused(_("Only the DBA or the IT head issues script tokens."))
    raw = ScriptToken.generate()
    token = ScriptToken(target=target, label=label, token_hash=ScriptToken.hash(raw), prefix=raw[:8], created_by=by)
    _validated(token)
    token.save()
    return token, raw


def script_token_revoke(*, token: ScriptToken, by) -> ScriptToken:
    if not has_role(by, Role.DBA, Role.IT_HEAD):
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


# --- verifications --------------------------------------------------------------------------------


def verification_record(*, target, backup_run, operator, witness=None, log_files=(), by=None, **fields) -> Verification:
    """A manual verification or restore test; its log is uploaded as evidence."""
    if not log_files:
        raise ActionRefused(_("Upload the verification log as evidence."))
    if backup_run.target_id != target.pk:
        raise ActionRefused(_("The backup run belongs to another target."))
    verification = Verification(target=target, backup_run=backup_run, operator=operator, witness=witness, **fields)
    _validated(verification)
    verification.save()
    attach(verification, log_files, by=by or operator)
    _after_verification(verification)
    return verification


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
        _link_open_handovers(successor=verification.operator, verification=verification)


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
    """The hourly check: each plan without a successful backup, a weekly full or a passing verification inside its window."""
    from .selectors import board_rows

    now = now or timezone.now()
    raised = 0
    for row in board_rows(now=now):
        target = row.target
        baseline = target.created_at
        checks_to_make = [
            (BackupAlert.Kind.NO_BACKUP, row.last_success_at, target.backup_window),
            (BackupAlert.Kind.NO_FULL, row.last_full_at, target.full_window),
            (BackupAlert.Kind.NO_VERIFICATION, row.last_pass_at, target.verification_window),
        ]
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


# --- media ----------------------------------------------------------------------------------------


def custody_handover_create(*, media, from_person, to_person, to_location, to_place, handed_over_at=None, note="", by):
    if not has_role(by, Role.DBA, Role.IT_HEAD):
        raise ActionRefused(_("Only the DBA or the IT head records a custody handover."))
    if from_person.pk == to_person.pk:
        raise ActionRefused(_("Media are handed over to someone else."))
    media = list(media)
    if not media:
        raise ActionRefused(_("Choose at least one medium."))
    not_held = [medium.label for medium in media if medium.custodian_id != from_person.pk]
    if not_held:
        raise ActionRefused(
            _("%(person)s does not hold: %(media)s.") % {"person": from_person, "media": "、".join(not_held)}
        )
    handover = CustodyHandover(
        number=next_number("JJ"),
        from_person=from_person,
        to_person=to_person,
        to_location=to_location,
        to_place=to_place,
        handed_over_at=handed_over_at or timezone.now(),
        note=note,
    )
    _validated(handover)
    handover.save()
    handover.media.set(media)
    notify(
        [to_person],
        title=gettext_lazy("Sign for backup media: %(number)s"),
        url=handover.get_absolute_url(),
        params={"number": handover.number},
    )
    return handover


def stocktake_open(*, location, by, counted_on=None, note="") -> MediaStocktake:
    if not has_role(by, Role.DBA, Role.IT_HEAD):
        raise ActionRefused(_("Only the DBA or the IT head starts a media stocktake."))
    media = list(BackupMedium.objects.filter(is_active=True, location=location))
    if not media:
        raise ActionRefused(_("The register has no media at this location."))
    stocktake = MediaStocktake.objects.create(
        number=next_number(MediaStocktake.NUMBER_PREFIX),
        location=location,
        counted_by=by,
        counted_on=counted_on or timezone.localdate(),
        note=note,
    )
    StocktakeLine.objects.bulk_create(
        StocktakeLine(stocktake=stocktake, medium=medium, expected_place=medium.place) for medium in media
    )
    return stocktake


def stocktake_record(*, stocktake: MediaStocktake, results: dict, by) -> MediaStocktake:
    """``results`` maps a line's pk to (result, note)."""
    if stocktake.state != MediaStocktake.State.OPEN:
        raise ActionRefused(_("This stocktake is closed."))
    if not has_role(by, Role.DBA, Role.IT_HEAD):
        raise ActionRefused(_("Only the DBA or the IT head records a media stocktake."))
    lines = {line.pk: line for line in stocktake.lines.all()}
    for pk, (result, note) in results.items():
        line = lines[pk]
        if result == StocktakeLine.Result.ELSEWHERE and not note:
            raise ActionRefused(_("Say where %(medium)s was found.") % {"medium": line.medium})
        line.result, line.note = result, note
    StocktakeLine.objects.bulk_update(lines.values(), ["result", "note"])
    return stocktake


# --- server operation log -------------------------------------------------------------------------


def server_operation_record(*, by, **fields) -> ServerOperation:
    """Policy: when someone other than the DBA operates on a server, a DBA is present and named."""
    operation = ServerOperation(recorded_by=by, **fields)
    operator, present = operation.operator, operation.present_dba
    if not has_role(operator, Role.DBA) and present is None:
        raise ActionRefused(_("The operator is not a DBA: name the DBA who was present."))
    if present is not None and not has_role(present, Role.DBA):
        raise ActionRefused(_("%(person)s is not a DBA.") % {"person": present})
    if present is not None and present.pk == operator.pk:
        raise ActionRefused(_("The DBA present must be someone other than the operator."))
    _validated(operation)
    operation.save()
    return operation


# --- DBA handover ---------------------------------------------------------------------------------


def dba_handover_start(
    *, departing_dba, successor, by, started_at=None, plan_handed_over=False, note=""
) -> DbaHandover:
    if not has_role(by, Role.DBA, Role.IT_HEAD):
        raise ActionRefused(_("Only the DBA or the IT head starts a DBA handover."))
    if not has_role(departing_dba, Role.DBA):
        raise ActionRefused(_("%(person)s is not a DBA.") % {"person": departing_dba})
    if successor.pk == departing_dba.pk:
        raise ActionRefused(_("The successor cannot be the departing DBA."))
    if not plan_handed_over:
        raise ActionRefused(_("Confirm that the backup plan and the backup register were handed over."))
    if DbaHandover.objects.filter(departing_dba=departing_dba, completed_at__isnull=True).exists():
        raise ActionRefused(_("%(person)s already has a handover in progress.") % {"person": departing_dba})
    handover = DbaHandover(
        number=next_number("YJ"),
        departing_dba=departing_dba,
        successor=successor,
        started_at=started_at or timezone.now(),
        plan_handed_over=plan_handed_over,
        note=note,
        created_by=by,
    )
    _validated(handover)
    handover.save()
    notify(
        [successor],
        title=gettext_lazy("DBA handover %(number)s: run a backup and a restore test yourself"),
        url=handover.get_absolute_url(),
        params={"number": handover.number},
    )
    return handover


def handover_run_refusal(handover, run) -> str | None:
    if run.operator_id != handover.successor_id:
        return _("The backup must be run by the successor %(person)s.") % {"person": handover.successor}
    if run.status != BackupRun.Status.SUCCESS:
        return _("The backup did not succeed.")
    if run.started_at < handover.started_at:
        return _("The backup was run before the handover started.")
    return None


def handover_verification_refusal(handover, verification) -> str | None:
    if verification.operator_id != handover.successor_id:
        return _("The restore test must be done by the successor %(person)s.") % {"person": handover.successor}
    if verification.result != Verification.Result.PASS:
        return _("The restore test did not pass.")
    if verification.started_at < handover.started_at:
        return _("The restore test was done before the handover started.")
    return None


def dba_handover_link(*, handover: DbaHandover, by, backup_run=None, verification=None) -> DbaHandover:
    """Link the successor's own successful backup and passing restore test; both linked completes the handover."""
    if not (has_role(by, Role.DBA, Role.IT_HEAD) or by.pk == handover.successor_id):
        raise ActionRefused(_("Only the DBA, the IT head or the successor links evidence to a handover."))
    with transaction.atomic():
        handover = DbaHandover.objects.select_for_update().get(pk=handover.pk)
        if handover.is_complete:
            raise ActionRefused(_("This handover is already complete."))
        if backup_run is not None:
            reason = handover_run_refusal(handover, backup_run)
            if reason:
                raise ActionRefused(reason)
            handover.backup_run = backup_run
        if verification is not None:
            reason = handover_verification_refusal(handover, verification)
            if reason:
                raise ActionRefused(reason)
            handover.verification = verification
        if handover.backup_run_id and handover.verification_id:
            handover.completed_at = timezone.now()
        handover.save()
    if handover.is_complete:
        notify(
            [handover.departing_dba, *users_with_role(Role.IT_HEAD)],
            title=gettext_lazy("DBA handover %(number)s is complete"),
            url=handover.get_absolute_url(),
            params={"number": handover.number},
        )
    return handover


def _link_open_handovers(*, successor, backup_run=None, verification=None):
    """Evidence the successor records is linked to their open handovers at once."""
    for handover in DbaHandover.objects.filter(successor=successor, completed_at__isnull=True):
        run_ok = (
            backup_run is not None and not handover.backup_run_id and handover_run_refusal(handover, backup_run) is None
        )
        test_ok = (
            verification is not None
            and not handover.verification_id
            and handover_verification_refusal(handover, verification) is None
        )
        if run_ok or test_ok:
            dba_handover_link(
                handover=handover,
                by=successor,
                backup_run=backup_run if run_ok else None,
                verification=verification if test_ok else None,
            )
