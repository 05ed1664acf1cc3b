"""Who may do what in emergency management: the app's role sets and its ``may_<verb>`` predicates.

Views, services, forms and templates (``{% may "emergency.record" %}``) ask these, never a role list of their own.
"""

from portal.roles import IT_ROLES, OVERSIGHT_ROLES, Role, has_role

READERS = (*IT_ROLES, *OVERSIGHT_ROLES)
"""IT, the leaders and the auditor read every drill and incident; nobody else sees any of it."""
PLANNERS = (Role.IT_HEAD,)
"""The IT head keeps the drill plans (the emergency group's daily work is the IT department's, 001 八(二)1)."""
RECORDERS = IT_ROLES
"""IT officers and the IT head record drills held, and record and resolve security incidents."""
REPORT_FILERS = (Role.IT_HEAD,)
"""The IT head files an incident's report with the hospital (000 账号及密码管理制度 6: 上报医院存档)."""


def may_read(user, obj=None) -> bool:
    return has_role(user, *READERS)


def may_plan(user, obj=None) -> bool:
    return has_role(user, *PLANNERS)


def may_record(user, obj=None) -> bool:
    return has_role(user, *RECORDERS)


def may_file_report(user, incident=None) -> bool:
    return has_role(user, *REPORT_FILERS)
