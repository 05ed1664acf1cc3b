"""Who may do what with repair tickets: the app's role sets and its ``may_<verb>(user, obj=None)`` predicates.

Views (``allowed_roles``, ``permits``), services, forms and templates (``{% may "repairs.<verb>" %}``) ask
these. The refusals below say why an action that is not a transition cannot be taken on a ticket now; the
same function draws the button and refuses the POST.
"""

from django.utils.translation import gettext as _

from portal.roles import IT_ROLES, OVERSIGHT_ROLES, Role, has_role

READ_ALL_ROLES = (*IT_ROLES, *OVERSIGHT_ROLES)
"""Who reads every department's tickets; everybody else reads their own department's."""
SETTINGS_ROLES = (Role.IT_HEAD,)
"""Who sets the repair limits and the auto-close delay."""
PARTS_APPROVER_ROLES = (Role.DEPT_HEAD,)
"""Who approves the parts the reporting department requests (its head, see the ``approve_parts`` guard)."""
CLASS_1_ROLES = (Role.IT_HEAD, Role.LEADER)
"""Who hears of a class 1 fault at once (the IT head reports it to the emergency group)."""
FAILURE_REPORT_ROLES = (Role.LEADER, Role.IT_HEAD)
"""Who receives the failure report of a class 1 fault."""


def may_work_tickets(user, obj=None) -> bool:
    """IT's side of a ticket: dispatch, repair, the queues of the IT department, spare machines, failure reports."""
    return has_role(user, *IT_ROLES)


def may_edit_settings(user, obj=None) -> bool:
    return has_role(user, *SETTINGS_ROLES)


def may_approve_parts(user, obj=None) -> bool:
    return has_role(user, *PARTS_APPROVER_ROLES)


def _it_refusal(user):
    return None if may_work_tickets(user) else _("Only IT officers and the IT head may do this.")


def lend_spare_refusal(user, ticket) -> str | None:
    """Why no spare machine may be lent for ``ticket`` now, or ``None``."""
    if reason := _it_refusal(user):
        return reason
    if not ticket.is_in_hand:
        return _("A spare machine is lent while the repair is in hand.")
    if ticket.spare_out is not None:
        return _("A spare machine is already lent for this ticket.")
    return None


def may_lend_spare(user, obj=None) -> bool:
    return lend_spare_refusal(user, obj) is None


def return_spare_refusal(user, ticket) -> str | None:
    if reason := _it_refusal(user):
        return reason
    if ticket.spare_out is None:
        return _("No spare machine is out for this ticket.")
    return None


def may_return_spare(user, obj=None) -> bool:
    return return_spare_refusal(user, obj) is None


def failure_report_refusal(user, ticket) -> str | None:
    if reason := _it_refusal(user):
        return reason
    if ticket.failure_report_due is None:
        return _("A failure report is filed for a repaired class 1 fault.")
    if ticket.has_failure_report:
        return _("The failure report of this ticket was already filed.")
    return None


def may_file_failure_report(user, obj=None) -> bool:
    return failure_report_refusal(user, obj) is None
