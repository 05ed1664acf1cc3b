"""Repair tickets and what hangs on them; every model is importable from ``repairs.models``."""

from .details import Escalation, FailureReport, PartRequestLine, TicketNotice
from .settings import FaultCategory, FaultClass, RepairSettings
from .ticket import RepairTicket

__all__ = [
    "Escalation",
    "FailureReport",
    "FaultCategory",
    "FaultClass",
    "PartRequestLine",
    "RepairSettings",
    "RepairTicket",
    "TicketNotice",
]
