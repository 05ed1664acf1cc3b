"""Public disclosure: the catalogue, items and their review, public notices, requests (依申请公开)."""

from .catalogue import Category
from .items import ENTRY_LIMIT_WORKING_DAYS, DisclosureItem
from .notices import PublicNotice
from .requests import (
    CLARIFICATION_LIMIT_WORKING_DAYS,
    CONSULTATION_WORKING_DAYS,
    EXTENSION_LIMIT_WORKING_DAYS,
    RESPONSE_LIMIT_WORKING_DAYS,
    DeadlineReminder,
    DisclosureRequest,
)

__all__ = [
    "CLARIFICATION_LIMIT_WORKING_DAYS",
    "CONSULTATION_WORKING_DAYS",
    "ENTRY_LIMIT_WORKING_DAYS",
    "EXTENSION_LIMIT_WORKING_DAYS",
    "RESPONSE_LIMIT_WORKING_DAYS",
    "Category",
    "DeadlineReminder",
    "DisclosureItem",
    "DisclosureRequest",
    "PublicNotice",
]
