"""The rules of backup verification, one module per sub-domain; the names other apps and tasks call."""

from .handovers import dba_handover_link, dba_handover_start
from .media import custody_handover_create, stocktake_open, stocktake_record, take_step
from .operations import server_operation_record
from .runs import (
    TokenRejected,
    backup_run_record,
    portal_backup_create,
    portal_backup_due,
    portal_target,
    script_token_authenticate,
    script_token_issue,
    script_token_revoke,
)
from .verifications import (
    lapses_check,
    verifiable_run,
    verification_due,
    verification_record,
    verification_run_automatic,
)
from .waivers import offsite_copy_require, offsite_waiver_request

__all__ = [
    "TokenRejected",
    "backup_run_record",
    "custody_handover_create",
    "dba_handover_link",
    "dba_handover_start",
    "lapses_check",
    "offsite_copy_require",
    "offsite_waiver_request",
    "portal_backup_create",
    "portal_backup_due",
    "portal_target",
    "script_token_authenticate",
    "script_token_issue",
    "script_token_revoke",
    "server_operation_record",
    "stocktake_open",
    "stocktake_record",
    "take_step",
    "verifiable_run",
    "verification_due",
    "verification_record",
    "verification_run_automatic",
]
