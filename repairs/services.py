"""Rules for repair tickets: filing, every step of the flow, the spare machine, escalation, the beat's notices
and the failure report."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from inventory.models import Equipment
from inventory.services import spare_loan_create, spare_loan_return, take_step
from portal.attachments import attach
from portal.exceptions import ActionRefused
from portal.notifications import notify, notify_roles, users_with_role
from portal.numbering import next_number
from portal.roles import IT_ROLES, Role, has_role
from portal.validation import validated
from portal.workflow import perform, refusal

from .effects import department_contacts, notify_class_1, notify_insurance_departments
from .models import (
    Escalation,
    FailureReport,
    FaultCategory,
    FaultClass,
    PartRequestLine,
    RepairSettings,
    RepairTicket,
    TicketNotice,
)
from .models.ticket import MANUAL_FALLBACK_MILESTONES, WARRANTY_PATH_REFUSALS
from .permissions import (
    CLASS_1_ROLES,
    FAILURE_REPORT_ROLES,
    failure_report_refusal,
    keep_spare_refusal,
    lend_spare_refusal,
    may_work_tickets,
    return_spare_refusal,
)

# Steps whose comment is the reason the policy asks for.
COMMENT_REQUIRED = {
    "cancel": gettext_lazy("Give the reason for cancelling."),
    "reopen": gettext_lazy("Say what is still not working."),
    "reclassify": gettext_lazy("Give the reason for the fault class."),
    "close_unconfirmed": gettext_lazy(
        "Under the Hardware Repair Rules (item 3) the department confirms the repair: "
        "closing without its confirmation needs the IT head's reason."
    ),
}
# The repair path each step takes (硬件设备维修制度 3: in warranty the vendor, out of it parts from the storeroom).
PATH_OF_STEP = {"wait_vendor": "vendor", "wait_parts": "parts"}
MAX_ESCALATION_LEVEL = Escalation.Level.LEADER
OVERDUE_TITLES = {
    Escalation.Clock.RESPONSE: pgettext_lazy(
        "repair SLA", "Response overdue: repair ticket %(number)s (level %(level)s)"
    ),
    Escalation.Clock.REPAIR: pgettext_lazy("repair SLA", "Repair overdue: repair ticket %(number)s (level %(level)s)"),
}
TICK_BATCH = 500


def _refuse(reason):
    if reason:
        raise ActionRefused(reason)


def ticket_file(
    *,
    by,
    department,
    contact_phone,
    category,
    description,
    equipment=None,
    device_description="",
    location="",
    fault_class="",
    inspection_result=None,
    photos=(),
) -> RepairTicket:
    """报修: anyone files for their own department; IT may file for any department and set the fault class."""
    if not may_work_tickets(by):
        for asked, reason in (
            (department.pk != by.department_id, _("You may report faults for your own department only.")),
            (
                equipment is not None and equipment.department_id != department.pk,
                _("This device is not on your department's ledger."),
            ),
            (bool(fault_class), _("Only IT sets the fault class.")),
            (inspection_result is not None, _("Only IT files tickets from inspection findings.")),
        ):
            if asked:
                raise ActionRefused(reason)
    ticket = RepairTicket(
        department=department,
        reporter=by,
        contact_phone=contact_phone,
        equipment=equipment,
        device_description=device_description,
        location=location or (equipment.location if equipment else ""),
        category=category,
        description=description,
        fault_class=fault_class
        or (FaultClass.OTHER if category == FaultCategory.INSURANCE_LINE else FaultClass.CLASS_2),
        inspection_result=inspection_result,
        reported_at=timezone.now(),
    )
    ticket.set_due_times(RepairSettings.current().limits(ticket.fault_class))
    validated(ticket, exclude=["number"])
    try:
        with transaction.atomic():
            ticket.number = next_number("BX")
            ticket.save()
            if photos:
                attach(ticket, photos, by=by)
    except IntegrityError as error:
        open_ticket = RepairTicket.objects.open().filter(equipment=equipment).first()
        if open_ticket is None:
            raise
        raise ActionRefused(
            _("Ticket %(number)s is already open for this device.") % {"number": open_ticket.number}
        ) from error
    # Whoever hears of a class 1 fault is not told of the same ticket twice.
    told = {note.recipient_id for note in notify_class_1(ticket)} if ticket.is_class_1 else set()
    if ticket.is_insurance_fault:
        told |= {note.recipient_id for note in notify_insurance_departments(ticket)}
    notify(
        [user for user in users_with_role(*IT_ROLES) if user.pk not in told],
        title=gettext_lazy("New repair ticket %(number)s: %(department)s"),
        params={"number": ticket.number, "department": department},
        body=f"{ticket.device_label} · {ticket.get_category_display()} · {ticket.description[:200]}",
        url=ticket.get_absolute_url(),
    )
    return ticket


def ticket_transition(ticket, action, *, by, comment="", **arguments) -> RepairTicket:
    """The one entry point for a step of the flow: its own checks, then the guarded transition (and its effects)."""
    comment = (comment or "").strip()
    if action in COMMENT_REQUIRED and not comment:
        raise ActionRefused(COMMENT_REQUIRED[action])
    if action == "reclassify":
        arguments["limits"] = RepairSettings.current().limits(arguments["fault_class"])
    path = _path_of(ticket, action, arguments)
    if path is not None:
        arguments["override_reason"] = _path_override(ticket, path, arguments.get("override_reason"), by)
    return perform(ticket, action, by=by, comment=comment, **arguments)


def _path_of(ticket, action, arguments):
    """The repair path a step takes; a repair that fits parts itself, neither at the vendor nor already
    overridden, is the parts path too."""
    if action == "repair" and (arguments.get("parts_used") or "").strip():
        return None if ticket.vendor or ticket.path_override_reason else "parts"
    return PATH_OF_STEP.get(action)


def _path_override(ticket, path, reason, by):
    """The path the warranty does not choose is the IT head's, with a reason."""
    if ticket.warranty_path in (None, path):
        return ""
    reason = (reason or "").strip()
    if not reason or not has_role(by, Role.IT_HEAD):
        raise ActionRefused(WARRANTY_PATH_REFUSALS[path])
    return reason


def ticket_wait_parts(*, ticket, by, lines, comment="", override_reason="") -> RepairTicket:
    """等待配件: the department requests parts from the storeroom; its head approves them before the repair."""
    _refuse(refusal(ticket, "wait_parts", by))
    parts = [
        validated(
            PartRequestLine(ticket=ticket, part=line["part"], quantity=line["quantity"], unit_cost=line["unit_cost"])
        )
        for line in lines
        if line.get("part")
    ]
    if not parts:
        raise ActionRefused(_("List at least one part."))
    return ticket_transition(ticket, "wait_parts", by=by, comment=comment, parts=parts, override_reason=override_reason)


def ticket_lend_spare(*, ticket, spare, expected_return, by) -> RepairTicket:
    """A repair that takes long: lend a spare machine to the department, registered in the loan book."""
    with transaction.atomic():
        ticket = RepairTicket.objects.select_for_update(of=("self",)).select_related("spare_loan").get(pk=ticket.pk)
        _refuse(lend_spare_refusal(by, ticket))
        loan = spare_loan_create(
            spare=spare,
            department=ticket.department,
            by=by,
            expected_return=expected_return,
            reason=_("Repair ticket %(number)s") % {"number": ticket.number},
            borrower=ticket.reporter,
        )
        ticket.spare_loan = loan
        ticket._change_reason = _("Spare machine %(asset)s lent") % {"asset": spare.asset_no}
        ticket.save()
    return ticket


def ticket_return_spare(*, ticket, by):
    """备用机收回 when the repaired device is back."""
    _refuse(return_spare_refusal(by, ticket))
    return spare_loan_return(loan=ticket.spare_out, by=by)


def ticket_keep_spare(*, ticket, by, reason) -> RepairTicket:
    """备用机转为调换: the lent spare stays for good, as a swap on the ledger (the loan returned, then swapped in)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        ticket = (
            RepairTicket.objects.select_for_update(of=("self",)).select_related("spare_loan__spare").get(pk=ticket.pk)
        )
        _refuse(keep_spare_refusal(by, ticket))
        if not reason:
            raise ActionRefused(_("Give the reason for keeping the spare machine as a swap."))
        device = Equipment.objects.get(pk=ticket.equipment_id)
        loan = spare_loan_return(loan=ticket.spare_out, by=by)
        take_step(device, "swap", by=by, comment=reason, replacement=Equipment.objects.get(pk=loan.spare_id))
        ticket.spare_loan, ticket.spare_kept = loan, True
        ticket._change_reason = reason
        ticket.save()
    return ticket


def failure_report_file(*, ticket, by, cause, timeline, measures) -> FailureReport:
    """故障排除报告 for a class-1 fault, to the leaders, after the repair."""
    _refuse(failure_report_refusal(by, ticket))
    report = validated(
        FailureReport(ticket=ticket, cause=cause, timeline=timeline, measures=measures, filed_by=by), exclude=["ticket"]
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:
        raise ActionRefused(_("The failure report of this ticket was already filed.")) from error
    notify_roles(
        FAILURE_REPORT_ROLES,
        title=gettext_lazy("Failure report filed for %(number)s"),
        params={"number": ticket.number},
        body=cause[:300],
        url=ticket.get_absolute_url(),
    )
    return report


def _escalation_recipients(ticket, level):
    if level == Escalation.Level.HANDLER:
        return [ticket.assignee] if ticket.assignee_id else list(users_with_role(*IT_ROLES))
    if level == Escalation.Level.IT_HEAD:
        return list(users_with_role(Role.IT_HEAD))
    return list(users_with_role(Role.LEADER))


def _due_level(now, due, limit):
    """Level 1 when the limit passes, one more level for every further limit's length."""
    if due >= now:
        return 0
    return min(MAX_ESCALATION_LEVEL, 1 + int((now - due) / limit))


def escalate_breaches(*, now=None) -> int:
    """The 15-minute tick: each breached clock climbs handler → IT head → leader; returns the notices sent."""
    now = now or timezone.now()
    settings_row = RepairSettings.current()
    sent = 0
    breaching = RepairTicket.objects.breaching(now).select_related("assignee", "department").order_by("response_due")
    for ticket in breaching[:TICK_BATCH]:
        response_limit, repair_limit = settings_row.limits(ticket.fault_class)
        clocks = []
        if ticket.arrived_at is None:
            clocks.append((Escalation.Clock.RESPONSE, _due_level(now, ticket.response_due, response_limit)))
        if ticket.paused_since is None:
            clocks.append((Escalation.Clock.REPAIR, _due_level(now, ticket.repair_due, repair_limit)))
        for clock, level in clocks:
            sent += _escalate(ticket, clock, level, now)
    return sent


def _escalate(ticket, clock, level, now):
    """Record every level the clock climbed this tick, then send one notice to each person those levels reach.

    A tick can climb two levels at once (a missed tick, a ticket made class 1 late); the IT head, who is also
    an IT officer, is then reached by both levels, and still gets one notice.
    """
    field = f"{clock}_escalation"
    reached = []
    for step in range(getattr(ticket, field) + 1, level + 1):
        try:
            with transaction.atomic():
                Escalation.objects.create(ticket=ticket, clock=clock, level=step, escalated_at=now)
        except IntegrityError:
            continue
        reached.append(step)
    if level > getattr(ticket, field):
        RepairTicket.objects.filter(pk=ticket.pk).update(**{field: level})
    if not reached:
        return 0
    notify(
        [user for step in reached for user in _escalation_recipients(ticket, step)],
        title=OVERDUE_TITLES[clock],
        params={"number": ticket.number, "level": reached[-1]},
        body=f"{ticket.department} · {ticket.get_fault_class_display()} · {ticket.device_label}",
        url=ticket.get_absolute_url(),
    )
    return 1


def remind_failure_reports(*, today=None) -> int:
    """Daily: a repaired class-1 fault without its failure report reminds the handler and the IT head, once a day."""
    today = today or timezone.localdate()
    due = (
        RepairTicket.objects.filter(
            fault_class=FaultClass.CLASS_1, repaired_at__isnull=False, failure_report__isnull=True
        )
        .exclude(state=RepairTicket.State.CANCELLED)
        .exclude(failure_report_reminded_on=today)
        .select_related("assignee")
    )
    count = 0
    for ticket in due[:TICK_BATCH]:
        if (
            not RepairTicket.objects.filter(pk=ticket.pk)
            .exclude(failure_report_reminded_on=today)
            .update(failure_report_reminded_on=today)
        ):
            continue
        deadline = ticket.failure_report_due
        notify(
            [ticket.assignee, *users_with_role(Role.IT_HEAD)],
            title=gettext_lazy("Failure report for %(number)s due %(date)s"),
            params={"number": ticket.number, "date": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")},
            url=ticket.get_absolute_url(),
        )
        count += 1
    return count


def _send_once(ticket, kind, now, recipients, **message):
    """Record the notice first: a second run, or a parallel one, finds the row and sends nothing."""
    try:
        with transaction.atomic():
            notice = TicketNotice.objects.create(ticket=ticket, kind=kind, sent_at=now)
    except IntegrityError:
        return 0
    notes = notify(recipients, url=ticket.get_absolute_url(), **message)
    TicketNotice.objects.filter(pk=notice.pk).update(recipients=len(notes))
    return 1


def remind_unconfirmed_repairs(*, now=None) -> int:
    """A repaired ticket closes only with the department's confirmation (硬件设备维修制度 3): left unconfirmed, it
    reminds the reporter, then tells the department head, once each; returns the notices sent."""
    now = now or timezone.now()
    settings_row = RepairSettings.current()
    stages = (
        (TicketNotice.Kind.CONFIRM_REMINDER, settings_row.confirm_reminder_days),
        (TicketNotice.Kind.CONFIRM_ESCALATION, settings_row.confirm_escalation_days),
    )
    sent = 0
    for kind, days in stages:
        due = (
            RepairTicket.objects.filter(state=RepairTicket.State.REPAIRED, repaired_at__lt=now - timedelta(days=days))
            .exclude(notices__kind=kind)
            .select_related("reporter", "department__head")
        )
        for ticket in due[:TICK_BATCH]:
            reporter = kind == TicketNotice.Kind.CONFIRM_REMINDER
            sent += _send_once(
                ticket,
                kind,
                now,
                [ticket.reporter] if reporter else department_contacts([ticket.department]),
                title=gettext_lazy("%(number)s was repaired %(days)s days ago and waits for your confirmation")
                if reporter
                else gettext_lazy("%(number)s of your department is still not confirmed after %(days)s days"),
                params={"number": ticket.number, "days": days},
                body=ticket.action_taken[:300],
            )
    return sent


def announce_fallback_milestones(*, now=None) -> int:
    """001 八(五)2: a class 1 fault unresolved 30 min, 6 h, 24 h after its report tells the departments that go
    manual, the IT head and the leaders, once per milestone; returns the notices sent."""
    now = now or timezone.now()
    settings_row = RepairSettings.current()
    sent = 0
    for key, after, text in MANUAL_FALLBACK_MILESTONES:
        kind = TicketNotice.Kind(f"fallback_{key}")
        due = (
            RepairTicket.objects.unresolved()
            .filter(fault_class=FaultClass.CLASS_1, reported_at__lte=now - after)
            .exclude(notices__kind=kind)
            .select_related("department__head")
        )
        tickets = list(due[:TICK_BATCH])
        if not tickets:
            continue
        configured = list(settings_row.fallback_departments(key).select_related("head"))
        for ticket in tickets:
            sent += _send_once(
                ticket,
                kind,
                now,
                [
                    *department_contacts({ticket.department, *configured}),
                    *users_with_role(*CLASS_1_ROLES),
                ],
                title=gettext_lazy("Class 1 fault %(number)s %(milestone)s: %(what)s"),
                params={"number": ticket.number, "milestone": kind.label, "what": text},
                body=f"{ticket.department} · {ticket.device_label} · {ticket.description[:200]}",
            )
    return sent
