"""Who may do what in the equipment ledger: its role sets and the predicates views, services and templates ask."""

from portal.roles import IT_ROLES, Role, has_role
from portal.workflow import role_required

READ_ALL_ROLES = (*IT_ROLES, Role.AUDITOR)
"""Who reads the whole ledger; everybody else reads their own department's devices."""
STOCKTAKE_READERS = (*READ_ALL_ROLES, Role.DEPT_HEAD)
"""Who opens the stocktake pages: the whole-ledger readers, and department heads for their department's counts."""
COUNTERS = (*IT_ROLES, Role.DEPT_HEAD)
"""Who may open the counting page: IT for any stocktake, a department head for their department's."""
APPROVERS = (Role.IT_HEAD,)
"""Who approves scrapping, and parameter changes of servers and network devices."""
PART_APPROVERS = (Role.LEADER,)
"""Who approves replacing or adjusting a server part: the leader in charge (分管领导)."""
CHANGE_READERS = (*READ_ALL_ROLES, *PART_APPROVERS)
"""Who reads the configuration changes: the whole-ledger readers and the leader who approves server parts."""

IT_ONLY = role_required(*IT_ROLES)
APPROVERS_ONLY = role_required(*APPROVERS)


def may_manage_ledger(user, obj=None) -> bool:
    """Register, edit and move devices, racks, loans and stocktakes."""
    return has_role(user, *IT_ROLES)


def may_lend(user, device=None) -> bool:
    """Lend a spare machine: IT, and (for one device) only while it is in the spare pool."""
    return may_manage_ledger(user) and (device is None or device.is_spare)


def may_return_loan(user, loan=None) -> bool:
    """Record that a lent spare came back: IT, while the loan is open."""
    return may_manage_ledger(user) and (loan is None or loan.is_open)


def may_count(user, stocktake=None) -> bool:
    """IT counts any stocktake; a department head confirms the items of their own department's count."""
    if has_role(user, *IT_ROLES):
        return True
    return has_role(user, Role.DEPT_HEAD) and (
        stocktake is None or (stocktake.is_department_count and stocktake.department_id == user.department_id)
    )


def may_count_now(user, stocktake) -> bool:
    """The counting controls are shown: the stocktake is still open and the user may count it."""
    return stocktake.is_open and may_count(user, stocktake)
