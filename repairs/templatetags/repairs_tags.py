from django import template

from ..forms import unrepairable_reason
from ..selectors import tickets_for_equipment

register = template.Library()


@register.inclusion_tag("repairs/_equipment_tickets.html")
def equipment_repair_tickets(equipment, user):
    """The device page's list of its repair tickets, as far as the user may see them."""
    return {
        "equipment": equipment,
        "repair_tickets": tickets_for_equipment(equipment, user=user),
        "unrepairable": unrepairable_reason(equipment),
    }
