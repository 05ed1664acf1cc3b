from .drills import DUE_SOON_DAYS, DrillPlan, DrillRecord, DueStatus
from .incidents import SecurityIncident

__all__ = ["DUE_SOON_DAYS", "DrillPlan", "DrillRecord", "DueStatus", "SecurityIncident"]
