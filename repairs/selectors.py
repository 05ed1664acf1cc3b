"""Reads shared by the queues, the dashboard, the device page and the departure gate."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.dashboard import Awaiting

from .models import FaultClass, RepairTicket
from .permissions import may_approve_parts, may_work_tickets

DEVICE_PAGE_LIMIT = 20


def tickets_for_equipment(equipment, user=None):
    """The device's latest tickets, newest first, for its ledger page; narrowed to what ``user`` may see."""
    tickets = RepairTicket.objects.filter(equipment=equipment)
    if user is not None:
        tickets = tickets.visible_to(user)
    return tickets.select_related("department", "assignee").order_by("-id")[:DEVICE_PAGE_LIMIT]


def open_tickets_assigned_to(user):
    """Tickets a leaving IT officer still holds (neither closed nor cancelled): the departure gate reads this."""
    return RepairTicket.objects.filter(assignee=user).exclude(
        state__in=[RepairTicket.State.CLOSED, RepairTicket.State.CANCELLED]
    )


def queue_counts(user, now=None):
    """Open-ticket counts for the queue tabs, in one aggregate over the open tickets (an index range)."""
    now = now or timezone.now()
    breach = Q(state__in=RepairTicket.UNRESOLVED_STATES) & (
        Q(arrived_at__isnull=True, response_due__lt=now) | Q(paused_since__isnull=True, repair_due__lt=now)
    )
    open_tickets = RepairTicket.objects.visible_to(user).filter(
        state__in=[*RepairTicket.UNRESOLVED_STATES, RepairTicket.State.REPAIRED]
    )
    return open_tickets.aggregate(
        unassigned=Count("pk", filter=Q(state=RepairTicket.State.SUBMITTED), distinct=True),
        mine=Count("pk", filter=Q(assignee=user) & ~Q(state=RepairTicket.State.REPAIRED), distinct=True),
        breaching=Count("pk", filter=breach, distinct=True),
        to_confirm=Count(
            "pk",
            filter=Q(state=RepairTicket.State.REPAIRED, department_id=user.department_id) & ~Q(repaired_by=user),
            distinct=True,
        ),
        parts_to_approve=Count("pk", filter=parts_to_approve(user), distinct=True),
    )


def parts_to_approve(user):
    """Tickets of the user's department waiting for parts the head has not approved yet (joins the parts)."""
    return Q(state=RepairTicket.State.WAITING_PARTS, department_id=user.department_id, parts__approved_at__isnull=True)


def failure_reports_missing():
    return RepairTicket.objects.filter(
        fault_class=FaultClass.CLASS_1, repaired_at__isnull=False, failure_report__isnull=True
    ).exclude(state=RepairTicket.State.CANCELLED)


def awaiting(user) -> list[Awaiting]:
    """Two queries at most: the open-ticket aggregate and the missing failure reports for IT."""
    if not user.is_authenticated:
        return []
    counts = queue_counts(user)
    tickets = reverse("repairs:ticket_list")
    items = []
    if may_work_tickets(user):
        items.append(Awaiting(_("Repair tickets to dispatch"), counts["unassigned"], f"{tickets}?queue=unassigned"))
        items.append(Awaiting(_("Repair tickets in my hands"), counts["mine"], f"{tickets}?queue=mine"))
        items.append(
            Awaiting(_("Repair tickets past their limit"), counts["breaching"], f"{tickets}?queue=breaching", True)
        )
        items.append(
            Awaiting(
                _("Failure reports to file"), failure_reports_missing().count(), f"{tickets}?queue=failure_report", True
            )
        )
    if user.department_id:
        items.append(
            Awaiting(_("Repairs of your department to confirm"), counts["to_confirm"], f"{tickets}?queue=to_confirm")
        )
    if may_approve_parts(user):
        items.append(
            Awaiting(_("Repair parts to approve"), counts["parts_to_approve"], f"{tickets}?queue=parts_to_approve")
        )
    return items
