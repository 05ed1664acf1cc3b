"""Wording taken from the hospital's machine-room policy (000 "机房访问制度" 5, "四、环境管理制度" 4)."""

from django.utils.translation import gettext_lazy as _

FORBIDDEN_ITEMS = [
    _("Food and drinks (including water)"),
    _("Cigarettes"),
    _("Flammable or explosive items, hazardous gases, alcohol"),
    _("Corrosive or strongly magnetic items"),
    _("Narcotics and radioactive items"),
    _("Electromagnetic devices that may interfere with computers and communications"),
    _("Cameras and sound-recording equipment"),
]

VISIT_RULES = [
    _("Apply to the machine-room lead in advance; enter only with approval."),
    _("An IT staff member escorts the visitor the whole time."),
    _("Change shoes before entering; do not enter areas you are not authorised for."),
    _("Nothing is taken out of the machine room without approval."),
]
