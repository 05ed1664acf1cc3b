"""The equipment ledger: devices, their life story, racks, configuration changes, spare loans and stocktakes."""

from .changes import ConfigChange
from .equipment import Equipment, EquipmentCategory, WarrantyReminder
from .imports import EquipmentImport, ImportProfile, ImportSettings
from .labels import LabelSheet
from .ledger import LedgerEntry
from .loans import SpareLoan
from .racks import Rack
from .stocktakes import Stocktake, StocktakeItem, StocktakeReminder

__all__ = [
    "ConfigChange",
    "Equipment",
    "EquipmentCategory",
    "EquipmentImport",
    "ImportProfile",
    "ImportSettings",
    "LabelSheet",
    "LedgerEntry",
    "Rack",
    "SpareLoan",
    "Stocktake",
    "StocktakeItem",
    "StocktakeReminder",
    "WarrantyReminder",
]
