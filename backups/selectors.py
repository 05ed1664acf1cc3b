"""Reads shared by the board, the hourly check, the dashboard and the accounts departure gate."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.dashboard import Awaiting

from .models import (
    PASSING,
    RESTORE_METHODS,
    BackupMedium,
    BackupRun,
    BackupTarget,
    CustodyHandover,
    DbaHandover,
    OffsiteWaiver,
    Verification,
)
from .permissions import may_decide_waiver, may_manage, may_record

GREEN, AMBER, RED = "green", "amber", "red"
STATUS_ORDER = {RED: 0, AMBER: 1, GREEN: 2}


@dataclass
class BoardRow:
    target: BackupTarget
    status: str
    reasons: list
    last_run_at: datetime | None
    last_run_status: str | None
    last_success_at: datetime | None
    last_full_at: datetime | None
    last_verification_at: datetime | None
    last_verification_result: str | None
    last_verification_pk: int | None
    last_pass_at: datetime | None
    last_restore_at: datetime | None
    last_restore_result: str | None
    last_restore_pk: int | None
    last_restore_pass_at: datetime | None
    last_offsite_full_at: datetime | None
    overdue: frozenset = frozenset()


def _latest(queryset, field):
    return Subquery(queryset.filter(target=OuterRef("pk")).order_by("-started_at", "-pk").values(field)[:1])


LATEST_FIELDS = (
    "last_run_at",
    "last_run_status",
    "last_success_at",
    "last_full_at",
    "last_verification_at",
    "last_verification_result",
    "last_verification_pk",
    "last_pass_at",
    "last_restore_at",
    "last_restore_result",
    "last_restore_pk",
    "last_restore_pass_at",
    "last_offsite_full_at",
)
"""The annotations of :func:`annotated_targets` a board row carries."""


def annotated_targets():
    runs = BackupRun.objects.all()
    successes = runs.filter(status=BackupRun.Status.SUCCESS)
    fulls = successes.filter(kind=BackupRun.Kind.FULL)
    offsite_fulls = fulls.filter(medium__location=BackupMedium.Location.OFF_SITE, medium__is_active=True)
    verifications = Verification.objects.all()
    restores = verifications.filter(method__in=RESTORE_METHODS)
    return (
        BackupTarget.objects.filter(is_active=True)
        .select_related("responsible_dba", "deputy")
        .annotate(
            last_run_at=_latest(runs, "started_at"),
            last_run_status=_latest(runs, "status"),
            last_success_at=_latest(successes, "started_at"),
            last_full_at=_latest(fulls, "started_at"),
            last_offsite_full_at=_latest(offsite_fulls, "started_at"),
            # Every verification checks integrity (a restore test too); only a restore meets the restore interval.
            last_verification_at=_latest(verifications, "started_at"),
            last_verification_result=_latest(verifications, "result"),
            last_verification_pk=_latest(verifications, "pk"),
            last_pass_at=_latest(verifications.filter(result__in=PASSING), "started_at"),
            last_restore_at=_latest(restores, "started_at"),
            last_restore_result=_latest(restores, "result"),
            last_restore_pk=_latest(restores, "pk"),
            last_restore_pass_at=_latest(restores.filter(result__in=PASSING), "started_at"),
        )
    )


INTEGRITY, RESTORE, OFFSITE = "integrity", "restore", "offsite"
"""The board's columns that turn red on their own when overdue."""


def _overdue(target, now) -> set:
    """Which of the plan's checks are past their window: integrity check, real restore test, off-site copy."""
    overdue = set()
    if now - (target.last_pass_at or target.created_at) > target.verification_window:
        overdue.add(INTEGRITY)
    if now - (target.last_restore_pass_at or target.created_at) > target.verification_window:
        overdue.add(RESTORE)
    if target.offsite_copy and now - (target.last_offsite_full_at or target.created_at) > target.full_window:
        overdue.add(OFFSITE)
    return overdue


def _status(target, now, overdue):
    """Red: out of policy or the last check failed. Amber: a warning, a failed run still inside the window, or due soon."""
    red, amber = [], []
    since_backup = now - (target.last_success_at or target.created_at)
    if since_backup > target.backup_window:
        red.append(_("no successful backup inside the plan's window"))
    if now - (target.last_full_at or target.created_at) > target.full_window:
        red.append(_("no successful full backup inside the week"))
    if INTEGRITY in overdue:
        red.append(_("no passing integrity check inside the interval"))
    if RESTORE in overdue:
        red.append(_("no real restore test inside the interval (an integrity check is not one)"))
    if OFFSITE in overdue:
        red.append(_("no medium holding a full backup inside the window is recorded off site"))
    if target.last_verification_result == Verification.Result.FAIL:
        red.append(_("the last verification failed"))
    if target.last_run_status == BackupRun.Status.FAILED:
        amber.append(_("the last backup run failed"))
    if target.last_verification_result == Verification.Result.WARNING:
        amber.append(_("the last verification gave a warning"))
    if target.last_pass_at and now - target.last_pass_at > target.verification_interval:
        amber.append(_("a verification is due"))
    if target.last_restore_pass_at and now - target.last_restore_pass_at > target.verification_interval:
        amber.append(_("a restore test is due"))
    if target.last_success_at is None or target.last_pass_at is None:
        amber.append(_("not yet backed up and verified"))
    if red:
        return RED, red
    return (AMBER, amber) if amber else (GREEN, [])


def board_rows(now=None) -> list[BoardRow]:
    """Every target in use with its colour, failures first (one query)."""
    now = now or timezone.now()
    rows = []
    for target in annotated_targets():
        overdue = _overdue(target, now)
        status, reasons = _status(target, now, overdue)
        latest = {name: getattr(target, name) for name in LATEST_FIELDS}
        rows.append(BoardRow(target=target, status=status, reasons=reasons, overdue=frozenset(overdue), **latest))
    rows.sort(key=lambda row: (STATUS_ORDER[row.status], row.target.name))
    return rows


def dba_handover_status(dba_user) -> tuple[bool, str]:
    """For the accounts departure gate: may this DBA leave as far as backups are concerned?

    (True, "") when a handover exists whose successor's own successful backup and passing restore test,
    both after the handover started, are linked to it; otherwise (False, the reason).
    """
    handovers = list(
        DbaHandover.objects.filter(departing_dba=dba_user)
        .select_related("successor", "backup_run", "verification")
        .order_by("-started_at")
    )
    if not handovers:
        return False, _("No DBA handover has been started: the successor must run a backup and a restore test first.")
    if any(handover.successor_evidence_ok for handover in handovers):
        return True, ""
    latest = handovers[0]
    missing = []
    if latest.backup_run_id is None:
        missing.append(_("a successful backup"))
    if latest.verification_id is None:
        missing.append(_("a passing restore test"))
    return False, _("DBA handover %(number)s: the successor %(person)s has not yet recorded %(missing)s.") % {
        "number": latest.number,
        "person": latest.successor,
        "missing": _(" and ").join(str(item) for item in missing),
    }


def awaiting(user) -> list[Awaiting]:
    """Dashboard lines: targets out of policy, waivers to decide, media to sign for, handovers waiting on me as successor."""
    items = []
    if may_manage(user):
        red = sum(1 for row in board_rows() if row.status == RED)
        items.append(
            Awaiting(label=_("Backup targets out of policy"), count=red, url=reverse("backups:board"), urgent=True)
        )
    if may_decide_waiver(user):
        pending = OffsiteWaiver.objects.filter(state=OffsiteWaiver.State.PENDING).count()
        items.append(
            Awaiting(
                label=_("Off-site copy waivers to decide"),
                count=pending,
                url=reverse("backups:offsite_waiver_list") + "?state=pending",
            )
        )
    if may_record(user):
        to_sign = CustodyHandover.objects.filter(to_person=user, state=CustodyHandover.State.PENDING).count()
        items.append(
            Awaiting(
                label=_("Backup media to sign for"),
                count=to_sign,
                url=reverse("backups:custody_list") + "?state=pending",
            )
        )
        as_successor = DbaHandover.objects.filter(
            Q(backup_run__isnull=True) | Q(verification__isnull=True), successor=user, completed_at__isnull=True
        ).count()
        items.append(
            Awaiting(
                label=_("DBA handovers waiting for your backup and restore test"),
                count=as_successor,
                url=reverse("backups:dba_handover_list"),
                urgent=True,
            )
        )
    return items
