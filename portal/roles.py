"""The nine roles of the design, and the role of people outside the hospital. Each is a Django group named by its code."""

from django.db import models
from django.utils.translation import gettext
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


class OutsideRole(models.TextChoices):
    """People from outside the hospital: given and taken by a service only (never on the role page), confined to the
    pages ``settings.PORTAL_CONFINED_PAGES`` lists for the role, shown no row of any scoped queryset."""

    VENDOR_ENGINEER = "vendor_engineer", _("Vendor engineer")


CONFINED_ROLES = tuple(OutsideRole)
"""The outside roles: anything not listed for them is a 404, and they hold no hospital role beside."""


# Role sets shared by more than one app, defined here once; an app's own sets live in <app>/permissions.py.
IT_ROLES = (Role.IT_OFFICER, Role.IT_HEAD)
"""The IT department's officers and its head: who runs the ledger, tickets, rounds and requests."""
OVERSIGHT_ROLES = (Role.LEADER, Role.AUDITOR)
"""Who reads every module's records without acting on them."""
SECURITY_LOG_READERS = (Role.AUDITOR, Role.IT_HEAD)
"""Who reads the security audit log (等保 2.0 安全审计): the auditor, and the IT head who answers for security."""


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


def is_confined(user) -> bool:
    """Whether ``user`` is from outside the hospital (a vendor engineer): then only their own pages open."""
    return has_role(user, *CONFINED_ROLES)


# Who may hold what (003 (八)14: 安全保密管理员、密钥管理员和系统管理员应由不同人员担任), defined once.
ROLE_GRANTERS = (Role.IT_HEAD,)
"""Who gives and takes roles: the IT head, who divides the department's duties (000 信息中心主任职责 4)."""
INCOMPATIBLE_ROLES = (
    (Role.AUDITOR, Role.IT_OFFICER),
    (Role.AUDITOR, Role.IT_HEAD),
    (Role.AUDITOR, Role.DBA),
    (Role.AUDITOR, Role.SECRECY_REVIEWER),
)
"""Pairs no one holds together: the auditor (纪检监察) checks IT and the secrecy review, so holds neither."""


def role_conflicts(roles, *, is_superuser=False) -> list[str]:
    """Why one person holding ``roles`` (codes) breaks 003 (八)14, one sentence per conflict; empty when it does not."""
    held = set(roles)
    reasons = [
        gettext("Under the secrecy rules (八)14, %(first)s and %(second)s are held by different people.")
        % {"first": Role(first).label, "second": Role(second).label}
        for first, second in INCOMPATIBLE_ROLES
        if first in held and second in held
    ]
    outside = held & set(CONFINED_ROLES)
    if outside and held - outside:
        reasons.extend(
            gettext("%(outside)s is held by someone from outside the hospital, with no hospital role beside.")
            % {"outside": OutsideRole(code).label}
            for code in sorted(outside)
        )
    if is_superuser and held:
        reasons.append(
            gettext(
                "Under the secrecy rules (八)14, the system administrator (the admin-site login) holds no business "
                "role: %(roles)s."
            )
            % {"roles": "、".join(str(Role(code).label) for code in sorted(held) if code in Role.values)}
        )
    return reasons
