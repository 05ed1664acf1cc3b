"""Backup targets and their plans, backup runs, verifications (restore tests), media custody,
the server operation log and the DBA handover record.

Policy: a written backup plan; weekly full backups; an integrity check and a restore test every one
to two weeks, a restore test being a real restore; media holding a recent full backup stored off-site
under named custody, unless the IT head approved a waiver; every server operation logged; a leaving
DBA's successor must run a backup and a restore test before the DBA may leave.
"""

from .common import RegisterQuerySet
from .handovers import DbaHandover
from .media import BackupMedium, CustodyHandover, MediaStocktake, StocktakeLine
from .operations import ServerOperation
from .runs import BackupRun, BackupRunQuerySet
from .targets import BackupTarget, ScriptToken
from .verifications import PASSING, RESTORE_METHODS, BackupAlert, Verification
from .waivers import OffsiteWaiver

__all__ = [
    "PASSING",
    "RESTORE_METHODS",
    "BackupAlert",
    "BackupMedium",
    "BackupRun",
    "BackupRunQuerySet",
    "BackupTarget",
    "CustodyHandover",
    "DbaHandover",
    "MediaStocktake",
    "OffsiteWaiver",
    "RegisterQuerySet",
    "ScriptToken",
    "ServerOperation",
    "StocktakeLine",
    "Verification",
]
