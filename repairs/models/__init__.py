"""Repair tickets and what hangs on them; every model is importable from ``repairs.models``."""

from .details import Escalation, FailureReport, PartRequestLine, TicketNotice
from .settings import FaultCategory, FaultClass, RepairSettings
from .ticket import RepairTicket
from .vendors import Vendor, VendorEngineer, VendorNote

__all__ = [
    "Escalation",
    "FailureReport",
    "FaultCategory",
    "FaultClass",
    "PartRequestLine",
    "RepairSettings",
    "RepairTicket",
    "TicketNotice",
    "Vendor",
    "VendorEngineer",
    "VendorNote",
]
