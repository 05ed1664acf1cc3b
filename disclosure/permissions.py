"""Who may do what in public disclosure: the role sets and the predicates views, forms and templates ask."""

from portal.roles import IT_ROLES, OVERSIGHT_ROLES, Role, has_role
from portal.workflow import may_take

ITEM_READ_ALL_ROLES = (Role.LEADER, Role.SECRECY_REVIEWER, *IT_ROLES, Role.AUDITOR)
"""Who sees every item; a collector sees their own department's items only."""
COLLECTOR_ROLES = (Role.STAFF, Role.DEPT_HEAD, Role.IT_OFFICER)
ITEM_ROLES = (*COLLECTOR_ROLES, *ITEM_READ_ALL_ROLES)
EMERGENCY_ROLES = (Role.LEADER, Role.IT_HEAD)
"""Who corrects or withdraws a published item (应急处置)."""
REQUEST_HANDLER_ROLES = IT_ROLES
REQUEST_VIEWER_ROLES = (*IT_ROLES, *OVERSIGHT_ROLES)
REPORT_ROLES = ITEM_READ_ALL_ROLES


def collected_by(user, item) -> bool:
    return item.collector_id == user.pk


def heads_source_department(user, item) -> bool:
    same_department = user.department_id is not None and user.department_id == item.department_id
    return same_department and has_role(user, Role.DEPT_HEAD)


def may_change_content(user, item) -> bool:
    """The collector, the source department's head or a leader may change an item's content."""
    return collected_by(user, item) or heads_source_department(user, item) or has_role(user, Role.LEADER)


def may_collect(user, obj=None) -> bool:
    return has_role(user, *COLLECTOR_ROLES) and bool(user.department_id)


def may_edit_in_place(user, item) -> bool:
    """Before content review is passed, the collector and the source department's head may edit."""
    return collected_by(user, item) or heads_source_department(user, item)


def may_edit(user, item) -> bool:
    """Whether the item's edit button is drawn: in place before content review, later as a revision."""
    if item.editable_in_place:
        return may_edit_in_place(user, item)
    return may_take(item, "revise", user)


def may_read_requests(user, obj=None) -> bool:
    return has_role(user, *REQUEST_VIEWER_ROLES)


def may_register_request(user, obj=None) -> bool:
    return has_role(user, *REQUEST_HANDLER_ROLES)


def may_read_reports(user, obj=None) -> bool:
    return has_role(user, *REPORT_ROLES)
