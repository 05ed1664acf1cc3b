"""Who may do what in the backups register: the app's role sets and the predicates views, services,
forms and templates ask (``{% may "backups.manage" as ok %}``)."""

from portal.roles import IT_ROLES, OVERSIGHT_ROLES, Role, has_role

RECORD_ROLES = (Role.DBA, *IT_ROLES)
"""The DBA and the IT department: who records backup runs and server operations, holds media and witnesses."""
READ_ROLES = (*RECORD_ROLES, *OVERSIGHT_ROLES)
"""Who may open the backups pages at all (the register is one for the whole hospital); everyone else gets 403."""
MANAGE_ROLES = (Role.DBA, Role.IT_HEAD)
"""Who manages plans, script tokens, media, stocktakes, verifications and DBA handovers, and asks for an off-site waiver."""
WAIVER_DECIDERS = (Role.IT_HEAD,)
"""Who approves or rejects stopping a plan's off-site copy (000 数据备份工作制度 8)."""


def may_read(user, obj=None) -> bool:
    return has_role(user, *READ_ROLES)


def may_record(user, obj=None) -> bool:
    return has_role(user, *RECORD_ROLES)


def may_manage(user, obj=None) -> bool:
    return has_role(user, *MANAGE_ROLES)


def may_decide_waiver(user, waiver=None) -> bool:
    return has_role(user, *WAIVER_DECIDERS)


def is_dba(user, obj=None) -> bool:
    return has_role(user, Role.DBA)


def may_link_evidence(user, handover=None) -> bool:
    """The DBA, the IT head, or the handover's successor links the successor's backup and restore test."""
    return may_manage(user) or (handover is not None and handover.successor_id == user.pk)
