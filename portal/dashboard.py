"""The dashboard's "awaiting me" list, gathered from the apps named in PORTAL_DASHBOARD_PROVIDERS."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Awaiting:
    """One line of "awaiting me": what, how many, where to act."""

    label: str
    count: int
    url: str
    urgent: bool = False


def awaiting_for(user) -> list[Awaiting]:
    items = []
    for path in settings.PORTAL_DASHBOARD_PROVIDERS:
        items.extend(import_string(path)(user))
    return [item for item in items if item.count]
