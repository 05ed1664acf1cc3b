"""The nine roles of the design. Each is a Django group named by its code."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Staff member")
    DEPT_HEAD = "dept_head", _("Department head")
    IT_OFFICER = "it_officer", _("IT officer")
    IT_HEAD = "it_head", _("IT head")
    DBA = "dba", _("DBA")
    SECRECY_REVIEWER = "secrecy_reviewer", _("Confidentiality reviewer")
    LEADER = "leader", _("Leader")
    HR = "hr", _("HR")
    AUDITOR = "auditor", _("Auditor")


# Role sets shared by more than one app, defined here once; an app's own sets live in <app>/permissions.py.
IT_ROLES = (Role.IT_OFFICER, Role.IT_HEAD)
"""The IT department's officers and its head: who runs the ledger, tickets, rounds and requests."""
OVERSIGHT_ROLES = (Role.LEADER, Role.AUDITOR)
"""Who reads every module's records without acting on them."""


def user_roles(user) -> frozenset[str]:
    """The role codes a user holds, read once per request and cached on the user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._portal_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))
