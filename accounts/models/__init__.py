"""Accounts and access governance, by sub-domain; every model is importable from ``accounts.models``."""

from .access import Grant, InformationSystem, PermissionRequest, SystemModule, Tier
from .agreements import Agreement
from .delegations import Delegation
from .departures import Departure
from .network import NetworkRequest
from .passwords import PasswordHistory
from .people import Department, PortalUserManager, User
from .privileged import CustodyMove, MajorOperation, PrivilegedAccount
from .recertification import RecertificationCampaign, RecertificationItem
from .roles import RoleChange
from .schemes import AccessScheme, AccessSchemeLine, request_scope_refusal
from .sensitive import SensitiveQueryLog, SensitiveQueryRequest
from .training import TrainingRecord

__all__ = [
    "AccessScheme",
    "AccessSchemeLine",
    "Agreement",
    "CustodyMove",
    "Delegation",
    "Department",
    "Departure",
    "Grant",
    "InformationSystem",
    "MajorOperation",
    "NetworkRequest",
    "PasswordHistory",
    "PermissionRequest",
    "PortalUserManager",
    "PrivilegedAccount",
    "RecertificationCampaign",
    "RecertificationItem",
    "RoleChange",
    "SensitiveQueryLog",
    "SensitiveQueryRequest",
    "SystemModule",
    "Tier",
    "TrainingRecord",
    "User",
    "request_scope_refusal",
]
