"""Accounts and access governance, by sub-domain; every model is importable from ``accounts.models``."""

# The user model first: the other modules import portal.permissions, which needs it registered.
from .people import Department, PortalUserManager, User  # isort: split

from .access import Grant, InformationSystem, PermissionRequest, SystemModule, Tier
from .departures import Departure
from .network import NetworkRequest
from .privileged import MajorOperation, PrivilegedAccount
from .recertification import RecertificationCampaign, RecertificationItem
from .sensitive import SensitiveQueryLog, SensitiveQueryRequest

__all__ = [
    "Department",
    "Departure",
    "Grant",
    "InformationSystem",
    "MajorOperation",
    "NetworkRequest",
    "PermissionRequest",
    "PortalUserManager",
    "PrivilegedAccount",
    "RecertificationCampaign",
    "RecertificationItem",
    "SensitiveQueryLog",
    "SensitiveQueryRequest",
    "SystemModule",
    "Tier",
    "User",
]
