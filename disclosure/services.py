"""Rules for writing disclosure items and requests. Every step of either workflow runs through :func:`take_step`."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.exceptions import ActionRefused
from portal.notifications import notify
from portal.numbering import next_number
from portal.people import people, people_with
from portal.roles import IT_ROLES, Role
from portal.validation import validated
from portal.workdays import add_working_days, calendar_known
from portal.workflow import perform

from .models import DeadlineReminder, DisclosureItem, DisclosureRequest
from .permissions import REQUEST_HANDLER_ROLES, may_collect, may_edit_in_place, may_register_request

REMIND_WORKING_DAYS_BEFORE = 3


def take_step(obj, action, *, by, comment="", **arguments):
    """One step of an item's review or of a request's handling; its effects are in ``effects.py``."""
    return perform(obj, action, by=by, comment=comment, **arguments)


def item_collect(*, by, title, category, body) -> DisclosureItem:
    """Stage 1: a staff member collects information for their own department."""
    if not may_collect(by):
        raise ActionRefused(_("Only a staff member of a department may collect information."))
    item = DisclosureItem(
        number=next_number("GK"),
        title=title,
        category=category,
        body=body,
        department_id=by.department_id,
        collector=by,
    )
    validated(item).save()
    return item


def item_edit(*, item, by, title, category, body, comment="") -> DisclosureItem:
    """Edit in place before content review is passed; afterwards the edit sends the item back to content review."""
    if not item.editable_in_place:
        return take_step(item, "revise", by=by, comment=comment, title=title, category=category, body=body)
    if not may_edit_in_place(by, item):
        raise ActionRefused(_("Only the collector or the department head may edit this item."))
    with transaction.atomic():
        locked = DisclosureItem.objects.select_for_update().get(pk=item.pk)
        if not locked.editable_in_place:
            raise ActionRefused(_("Someone else acted on this at the same moment. Reload the page and try again."))
        locked.title, locked.category, locked.body = title, category, body
        validated(locked)
        locked._change_reason = comment
        locked.save()
    return locked


def request_register(*, by, received_on: date, **fields) -> DisclosureRequest:
    """Register a request for disclosure; the day of receipt does not count towards the 20 working days."""
    if not may_register_request(by):
        raise ActionRefused(_("Only the disclosure office may register requests."))
    if received_on > timezone.localdate():
        raise ActionRefused(_("The date of receipt cannot be in the future."))
    request = DisclosureRequest(number=next_number("YSQ"), received_on=received_on, registered_by=by, **fields)
    request.due_on = request.compute_due_on()
    validated(request).save()
    return request


def _remind_once(key, recipients, **message):
    """Send a reminder unless one with this key was already sent (the key makes a task run idempotent)."""
    try:
        with transaction.atomic():
            DeadlineReminder.objects.create(key=key)
    except IntegrityError:
        return False
    notify(recipients, **message)
    return True


def _remind_deadlines(rows, today, recipients, *, key, deadline_of, soon_title, overdue_title=None, body_of=None):
    """Remind ``recipients`` of each row whose deadline is within a few working days, and (with an
    ``overdue_title``) again once it has passed; each reminder, keyed by ``key`` (``{pk}``, ``{due}``), once."""
    soon = add_working_days(today, REMIND_WORKING_DAYS_BEFORE)
    sent = 0
    for obj in rows:
        deadline = deadline_of(obj)
        overdue = deadline < today
        if deadline > soon or (overdue and overdue_title is None):
            continue
        level = "overdue" if overdue else "soon"
        sent += _remind_once(
            key.format(pk=obj.pk, due=deadline) + ("" if overdue_title is None else f":{level}"),
            recipients,
            title=overdue_title if overdue else soon_title,
            params={"number": obj.number, "due": deadline},
            body=body_of(obj) if body_of else "",
            url=obj.get_absolute_url(),
        )
    return sent


def remind_request_deadlines(today: date) -> int:
    """Tell the disclosure office about requests due within a few working days, and again when overdue."""
    handlers = list(people_with(*REQUEST_HANDLER_ROLES))
    open_requests = DisclosureRequest.objects.open()
    return (
        _remind_deadlines(
            open_requests.filter(due_on__isnull=False),
            today,
            handlers,
            key="request:{pk}:answer:{due}",
            deadline_of=lambda request: request.due_on,
            soon_title=gettext_lazy("Disclosure request %(number)s is due on %(due)s"),
            overdue_title=gettext_lazy("Disclosure request %(number)s is overdue (due %(due)s)"),
        )
        + _remind_deadlines(
            DisclosureRequest.objects.filter(state=DisclosureRequest.State.CONSULTING),
            today,
            handlers,
            key="request:{pk}:consultation:{due}",
            deadline_of=lambda request: request.consultation_due_on,
            soon_title=gettext_lazy("The third party's reply to %(number)s is due on %(due)s"),
        )
        + _remind_deadlines(
            DisclosureRequest.objects.filter(
                state=DisclosureRequest.State.OPEN, clarification_requested_on__isnull=True
            ),
            today,
            handlers,
            key="request:{pk}:clarification:{due}",
            deadline_of=lambda request: request.clarification_deadline,
            soon_title=gettext_lazy("Clarification for %(number)s can be requested only until %(due)s"),
        )
    )


def remind_entry_deadlines(today: date) -> int:
    """Proactive items must be entered within 20 working days of formation: warn IT before and after."""
    return _remind_deadlines(
        DisclosureItem.objects.filter(
            state__in=[DisclosureItem.State.ENTRY, DisclosureItem.State.ENTRY_REVIEW], entry_due__isnull=False
        ),
        today,
        list(people_with(*IT_ROLES)),
        key="item:{pk}:entry:{due}",
        deadline_of=lambda item: item.entry_due,
        soon_title=gettext_lazy("Entry of %(number)s is due on %(due)s"),
        overdue_title=gettext_lazy("Entry of %(number)s is overdue (due %(due)s)"),
        body_of=lambda item: item.title,
    )


def alert_missing_calendar(today: date) -> bool:
    """From 1 December, warn the administrators once a week while next year's holidays are unknown."""
    next_year = today.year + 1
    if today.month != 12 or calendar_known(next_year):
        return False
    admins = people().filter(Q(is_superuser=True) | Q(pk__in=people_with(Role.IT_HEAD).values("pk")))
    week = today.isocalendar().week
    return _remind_once(
        f"calendar:{next_year}:week{week}",
        admins,
        title=gettext_lazy("The holidays of %(year)s are not in the working-day calendar"),
        body=gettext_lazy(
            "Deadlines counted in working days will treat every weekday of %(year)s as a working day. "
            "Enter the statutory holidays and make-up workdays in the holiday table."
        ),
        params={"year": next_year},
        url=reverse("admin:portal_calendarday_changelist"),
    )
