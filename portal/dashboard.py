"""The dashboard's "awaiting me" list, gathered from the apps named in PORTAL_DASHBOARD_PROVIDERS, and its
"scheduled tasks" panel."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .models import TaskRun


@dataclass(frozen=True)
class Awaiting:
    """One line of "awaiting me": what, how many, where to act."""

    label: str
    count: int
    url: str
    urgent: bool = False


def awaiting_for(user) -> list[Awaiting]:
    items = []
    for path in settings.PORTAL_DASHBOARD_PROVIDERS:
        items.extend(import_string(path)(user))
    return [item for item in items if item.count]


# What each Celery task is called on the dashboard; a task missing here shows its own name.
TASK_LABELS = {
    "portal.tasks.heartbeat": _("Heartbeat"),
    "portal.heartbeats.beat": _("Scheduler heartbeat (beat)"),
    "portal.heartbeats.worker": _("Background worker heartbeat"),
    "portal.tasks.sweep_jobs": _("Resending deferred and lost background jobs"),
    "portal.tasks.purge_security_events": _("Removal of security events past their retention"),
    "reports.tasks.reports_tick": _("Scheduled statistical reports"),
    "reports.tasks.generate_report": _("Statistical report generation"),
    "repairs.tasks.escalate_breaches": _("Repair time-limit escalation"),
    "repairs.tasks.remind_failure_reports": _("Failure report reminders"),
    "repairs.tasks.remind_unconfirmed_repairs": _("Reminders of unconfirmed repaired tickets"),
    "repairs.tasks.announce_fallback_milestones": _("Manual fallback notices of class 1 faults"),
    "inventory.tasks.import_equipment": _("Equipment ledger import"),
    "inventory.tasks.remind_warranty_ending": _("Warranty expiry reminders"),
    "inventory.tasks.remind_overdue_loans": _("Overdue spare machine reminders"),
    "inventory.tasks.remind_stocktakes_due": _("Equipment reconciliation reminders"),
    "inspections.tasks.inspection_tick": _("Inspection reminders and missed inspections"),
    "backups.tasks.back_up_portal_database": _("Backup of the portal's own database"),
    "backups.tasks.queue_due_verifications": _("Scheduling of due restore tests"),
    "backups.tasks.verify_target": _("Backup integrity check and restore test"),
    "backups.tasks.check_backup_lapses": _("Backup freshness check"),
    "accounts.tasks.expire_grants": _("Expired time-limited grants"),
    "accounts.tasks.flag_overdue_rotations": _("Privileged password change reminders"),
    "accounts.tasks.open_recertification_campaign": _("Quarterly recertification"),
    "accounts.tasks.escalate_recertification": _("Recertification reminders"),
    "accounts.tasks.sync_directory": _("Directory sync"),
    "accounts.tasks.sync_delegations": _("Deputies' rights (delegations)"),
    "disclosure.tasks.remind_disclosure_deadlines": _("Disclosure deadline reminders"),
    "disclosure.tasks.check_next_year_calendar": _("Next year's holiday table check"),
}

# A server path (/var/lib/portal/backups/x.sql.gz, C:\backup\x.bak) is not for the dashboard's readers.
SERVER_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][\w.~-]+){2,}[\\/]?")


@dataclass(frozen=True)
class TaskStatus:
    """One row of the "scheduled tasks" panel: a name people read, when it last finished and how it went."""

    label: str
    finished_at: datetime | None
    outcome: str
    outcome_label: str
    message: str


def task_statuses() -> list[TaskStatus]:
    return [
        TaskStatus(
            label=str(TASK_LABELS.get(run.name, run.name)),
            finished_at=run.finished_at,
            outcome=run.outcome,
            outcome_label=run.get_outcome_display(),
            message=SERVER_PATH.sub("…", run.detail).strip(),
        )
        for run in sorted(TaskRun.objects.all(), key=lambda run: str(TASK_LABELS.get(run.name, run.name)))
    ]
