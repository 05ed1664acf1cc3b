from django import template

from ..roles import Role
from ..roles import has_role as _has_role

register = template.Library()


@register.filter
def has_role(user, roles: str) -> bool:
    """``{% if user|has_role:"it_officer,it_head" %}``"""
    return _has_role(user, *[role.strip() for role in roles.split(",")])


@register.filter
def role_label(code: str) -> str:
    try:
        return Role(code).label
    except ValueError:
        return code
