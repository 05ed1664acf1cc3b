"""What each step of a repair ticket does beyond the ticket's own fields: the ledger, the parts, the notices.

One action→effect table on ``transition_done``; every effect runs inside the step's transaction.
"""

from functools import partial

from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from inventory.models import Equipment
from inventory.services import take_step
from portal.notifications import notify, notify_roles, users_with_role
from portal.roles import IT_ROLES, Role
from portal.workflow import effects, transition_done

from .models import FaultCategory, FaultClass, RepairSettings, RepairTicket
from .permissions import CLASS_1_ROLES
from .vendors import ticket_attendance_sync

# Device states the ledger can send to repair (a device already under repair stays so).
SENDABLE_STATUSES = (Equipment.Status.IN_STOCK, Equipment.Status.IN_USE, Equipment.Status.SPARE)


def notify_class_1(ticket):
    """一类故障: the IT head reports to the emergency group at once, so the IT head and leaders hear now."""
    return notify_roles(
        CLASS_1_ROLES,
        title=gettext_lazy("Class 1 fault %(number)s: %(department)s"),
        params={"number": ticket.number, "department": ticket.department},
        body=ticket.description[:300],
        url=ticket.get_absolute_url(),
    )


def department_contacts(departments):
    """Who hears for a department: its head, or, where none is named, its active members."""
    departments = list(departments)
    heads = [department.head for department in departments if department.head_id]
    headless = [department.pk for department in departments if not department.head_id]
    return [*heads, *User.objects.filter(department__in=headless, is_active=True)]


def insurance_contacts(ticket):
    """其它故障 (001 八(四)): the departments coordinating a medical-insurance fault follow it."""
    if not ticket.is_insurance_fault:
        return []
    return department_contacts(RepairSettings.current().insurance_departments.select_related("head"))


def notify_insurance_departments(ticket):
    """The medical-insurance fault is routed to the coordinating departments, who may read and follow it."""
    return notify(
        insurance_contacts(ticket),
        title=gettext_lazy("Medical-insurance fault %(number)s: %(department)s, for your department to coordinate"),
        params={"number": ticket.number, "department": ticket.department},
        body=f"{ticket.device_label} · {ticket.description[:300]}",
        url=ticket.get_absolute_url(),
    )


def _tell(recipients, ticket, title, body="", **params):
    notify(
        recipients, title=title, params={"number": ticket.number, **params}, body=body, url=ticket.get_absolute_url()
    )


def _tell_reporter(ticket, *, by, comment, arguments, reporter=True):
    """The reporter, and the departments coordinating an insurance fault, hear of each step someone else takes."""
    followers = [ticket.reporter] if reporter else []
    followers = [user for user in (*followers, *insurance_contacts(ticket)) if user.pk != getattr(by, "pk", None)]
    if followers:
        _tell(
            followers,
            ticket,
            gettext_lazy("Repair ticket %(number)s: %(state)s"),
            state=RepairTicket.State(ticket.state).label,
        )


def _tell_assignee_dispatched(ticket, *, by, comment, arguments):
    if ticket.assignee_id and ticket.assignee_id != getattr(by, "pk", None):
        _tell(
            [ticket.assignee],
            ticket,
            gettext_lazy("Repair ticket %(number)s dispatched to you"),
            f"{ticket.department} · {ticket.device_label} · {ticket.description[:200]}",
        )


def _tell_assignee_not_fixed(ticket, *, by, comment, arguments):
    if ticket.assignee_id:
        _tell([ticket.assignee], ticket, gettext_lazy("%(number)s is not fixed, says the department"), comment)


def _send_device_to_repair(ticket, *, by, comment, arguments):
    """The device is 维修中 from the moment IT takes it in hand, unless the ledger already says so."""
    equipment = ticket.equipment
    if equipment is None or ticket.equipment_sent or equipment.status not in SENDABLE_STATUSES:
        return
    take_step(equipment, "send_to_repair", by=by, comment=_("Repair ticket %(number)s") % {"number": ticket.number})
    RepairTicket.objects.filter(pk=ticket.pk).update(equipment_sent=True)
    ticket.equipment_sent = True


def _return_device(ticket, *, by, comment, arguments):
    if not ticket.equipment_sent:
        return
    equipment = Equipment.objects.get(pk=ticket.equipment_id)
    if equipment.status == Equipment.Status.UNDER_REPAIR:
        take_step(
            equipment,
            "return_from_repair",
            by=by,
            comment=_("Repaired under ticket %(number)s") % {"number": ticket.number},
        )
    RepairTicket.objects.filter(pk=ticket.pk).update(equipment_sent=False)
    ticket.equipment_sent = False


def _ask_for_confirmation(ticket, *, by, comment, arguments):
    heads = [ticket.department.head] if ticket.department.head_id else []
    _tell(
        [ticket.reporter, *heads],
        ticket,
        gettext_lazy("%(number)s is repaired: please confirm"),
        ticket.action_taken[:300],
    )


def _request_parts(ticket, *, by, comment, arguments):
    """The parts lines the service checked are saved, and the department's head is asked to approve them."""
    parts = arguments["parts"]
    for part in parts:
        part.save()
    if ticket.department.head_id:
        _tell(
            [ticket.department.head],
            ticket,
            gettext_lazy("Approve parts for repair ticket %(number)s"),
            "; ".join(f"{part.part} × {part.quantity}" for part in parts),
        )


def _approve_parts(ticket, *, by, comment, arguments):
    ticket.parts.filter(approved_at__isnull=True).update(approved_by=by, approved_at=timezone.now())
    if ticket.assignee_id:
        _tell([ticket.assignee], ticket, gettext_lazy("Parts approved for %(number)s"))


def _prompt_spare_back(ticket, *, by, comment, arguments):
    loan = ticket.spare_out
    if loan is not None:
        _tell(
            [ticket.assignee, *users_with_role(Role.IT_HEAD)] if ticket.assignee_id else users_with_role(*IT_ROLES),
            ticket,
            gettext_lazy("Take back spare machine %(asset)s: ticket %(number)s is confirmed"),
            asset=loan.spare.asset_no,
        )


def _announce_new_class(ticket, *, by, comment, arguments):
    """A ticket made class 1 is announced as one filed so, one made an insurance fault is routed as one filed so;
    the history row before this step says what it was."""
    before = ticket.history.order_by("-history_id").values_list("fault_class", flat=True)[1:2]
    if ticket.is_class_1 and FaultClass.CLASS_1 not in before:
        notify_class_1(ticket)
    if ticket.is_insurance_fault and FaultClass.OTHER not in before and ticket.category != FaultCategory.INSURANCE_LINE:
        notify_insurance_departments(ticket)


def _attendance(ticket, *, by, comment, arguments):
    """Sent to a vendor, taken back, or done: the vendor's engineers attend the ticket, or no longer do."""
    ticket_attendance_sync(ticket=ticket, by=by)


def _all(*steps):
    def effect(ticket, **kwargs):
        for run in steps:
            run(ticket, **kwargs)

    return effect


receiver(transition_done, sender=RepairTicket)(
    effects(
        {
            "dispatch": _all(_tell_assignee_dispatched, _tell_reporter),
            "arrive": _all(_send_device_to_repair, _tell_reporter),
            "wait_vendor": _all(_tell_reporter, _attendance),
            "wait_parts": _all(_tell_reporter, _request_parts),
            "approve_parts": _approve_parts,
            "repair": _all(_return_device, _ask_for_confirmation, partial(_tell_reporter, reporter=False)),
            "resume": _attendance,
            "confirm": _all(_prompt_spare_back, _attendance),
            "reopen": _tell_assignee_not_fixed,
            "close": _all(_tell_reporter, _attendance),
            "close_unconfirmed": _all(_tell_reporter, _attendance),
            "cancel": _all(_tell_reporter, _attendance),
            "reclassify": _announce_new_class,
        }
    )
)
