"""Wording taken from the hospital's machine-room policy (000 "机房访问制度" 4, 5, "四、环境管理制度" 4).

``settings.MACHINE_ROOM_FORBIDDEN_ITEMS`` may replace :data:`FORBIDDEN_ITEMS` (a list of
:class:`ForbiddenItem`); a visitor's brought items are checked against whichever list is in force.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ForbiddenItem:
    """One entry of the policy's list, and the words that name it in a visitor's list of items."""

    label: str
    words: tuple[str, ...]

    def __str__(self):
        return str(self.label)


FORBIDDEN_ITEMS = [
    ForbiddenItem(
        _("Food and drinks (including water)"),
        ("食品", "食物", "零食", "饮料", "饮品", "矿泉水", "饮用水", "瓶装水", "水杯", "咖啡", "茶", "food", "drink"),
    ),
    ForbiddenItem(_("Cigarettes"), ("香烟", "烟草", "电子烟", "打火机", "火柴", "cigarette", "lighter")),
    ForbiddenItem(
        _("Flammable or explosive items, hazardous gases, alcohol"),
        ("易燃", "易爆", "汽油", "煤油", "气瓶", "危险气体", "酒精", "白酒", "啤酒", "alcohol"),
    ),
    ForbiddenItem(_("Corrosive or strongly magnetic items"), ("腐蚀", "强磁", "磁铁", "磁性", "magnet")),
    ForbiddenItem(_("Narcotics and radioactive items"), ("麻醉", "放射", "narcotic", "radioactive")),
    ForbiddenItem(
        _("Electromagnetic devices that may interfere with computers and communications"),
        ("电磁", "干扰器", "屏蔽器", "对讲机", "jammer"),
    ),
    ForbiddenItem(
        _("Cameras and sound-recording equipment"),
        ("照相机", "相机", "摄像", "录音", "录像", "camera", "recorder"),
    ),
]

VISIT_RULES = [
    _("Apply to the machine-room lead in advance; enter only with approval."),
    _("An IT staff member escorts the visitor the whole time."),
    _("Change shoes before entering; do not enter areas you are not authorised for."),
    _("Nothing is taken out of the machine room without approval."),
]

REMOVAL_RULES = [
    _(
        "Without approval no one carries any item out of the machine room, and no confidential documents, "
        "software versions, technical archives or internal materials are carried out or disclosed."
    ),
]


def forbidden_items() -> list[ForbiddenItem]:
    return getattr(settings, "MACHINE_ROOM_FORBIDDEN_ITEMS", FORBIDDEN_ITEMS)


def forbidden_in(items_brought: str) -> list[ForbiddenItem]:
    """The entries of the forbidden list that a visitor's list of brought items names."""
    text = items_brought.casefold()
    return [item for item in forbidden_items() if any(word.casefold() in text for word in item.words)]
