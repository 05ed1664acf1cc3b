"""Who may do what with repair tickets: the app's role sets and its ``may_<verb>(user, obj=None)`` predicates.

Views (``allowed_roles``, ``permits``), services, forms and templates (``{% may "repairs.<verb>" %}``) ask
these. The refusals below say why an action that is not a transition cannot be taken on a ticket now; the
same function draws the button and refuses the POST.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import acts_for_head
from portal.roles import IT_ROLES, OVERSIGHT_ROLES, Role, has_role

READ_ALL_ROLES = (*IT_ROLES, *OVERSIGHT_ROLES)
"""Who reads every department's tickets; everybody else reads their own department's."""
SETTINGS_ROLES = (Role.IT_HEAD,)
"""Who sets the repair limits, the confirmation reminders and the departments told."""
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
    """The head of the user's department, or the head's deputy during a delegation (``accounts.permissions``)."""
    return acts_for_head(user, getattr(user, "department_id", None))


def _refusal(user, ticket, *checks):
    """IT's role first, then the first of the ticket's ``(holds, message)`` checks that fails; ``None`` if all hold."""
    if not may_work_tickets(user):
        return _("Only IT officers and the IT head may do this.")
    return next((str(message) for holds, message in checks if not holds(ticket)), None)


def lend_spare_refusal(user, ticket) -> str | None:
    """Why no spare machine may be lent for ``ticket`` now, or ``None``."""
    return _refusal(
        user,
        ticket,
        (lambda ticket: ticket.is_in_hand, gettext_lazy("A spare machine is lent while the repair is in hand.")),
        (lambda ticket: ticket.spare_out is None, gettext_lazy("A spare machine is already lent for this ticket.")),
    )


def return_spare_refusal(user, ticket) -> str | None:
    return _refusal(
        user,
        ticket,
        (lambda ticket: ticket.spare_out is not None, gettext_lazy("No spare machine is out for this ticket.")),
    )


def keep_spare_refusal(user, ticket) -> str | None:
    """Why the lent spare cannot become a permanent swap for the ticket's device now, or ``None``."""
    return _refusal(
        user,
        ticket,
        (lambda ticket: ticket.spare_out is not None, gettext_lazy("No spare machine is out for this ticket.")),
        (
            lambda ticket: ticket.equipment_id is not None,
            gettext_lazy("The device is not on the ledger: a swap replaces a device of the ledger."),
        ),
        (
            lambda ticket: ticket.equipment_id is None or ticket.equipment.status == ticket.equipment.Status.IN_USE,
            gettext_lazy("A swap replaces a device in service: the device is not in service now."),
        ),
    )


def failure_report_refusal(user, ticket) -> str | None:
    return _refusal(
        user,
        ticket,
        (
            lambda ticket: ticket.failure_report_due is not None,
            gettext_lazy("A failure report is filed for a repaired class 1 fault."),
        ),
        (
            lambda ticket: not ticket.has_failure_report,
            gettext_lazy("The failure report of this ticket was already filed."),
        ),
    )


def may_lend_spare(user, obj=None) -> bool:
    return lend_spare_refusal(user, obj) is None


def may_return_spare(user, obj=None) -> bool:
    return return_spare_refusal(user, obj) is None


def may_keep_spare(user, obj=None) -> bool:
    return keep_spare_refusal(user, obj) is None


def may_file_failure_report(user, obj=None) -> bool:
    return failure_report_refusal(user, obj) is None


VENDOR_REGISTRARS = IT_ROLES
"""Who registers vendors and their engineers' logins."""


def may_register_vendors(user, obj=None) -> bool:
    return has_role(user, *VENDOR_REGISTRARS)
