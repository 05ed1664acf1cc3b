"""Machine-room inspections: rooms, versioned templates, rounds and their results, reminders, visitors, items out."""

from .removals import ItemRemoval
from .rooms import MachineRoom
from .rounds import InspectionRound, RoundCorrection, RoundResult
from .schedule import InspectionReminder, MissedInspection
from .templates import InspectionTemplate, TemplateItem, TemplateVersion
from .visits import Visit

__all__ = [
    "InspectionReminder",
    "InspectionRound",
    "InspectionTemplate",
    "ItemRemoval",
    "MachineRoom",
    "MissedInspection",
    "RoundCorrection",
    "RoundResult",
    "TemplateItem",
    "TemplateVersion",
    "Visit",
]
