"""Rules for writing disclosure items and requests; transitions go through portal.workflow.perform."""

from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.exceptions import ActionRefused
from portal.notifications import notify
from portal.numbering import next_number
from portal.roles import Role, has_role
from portal.workdays import add_working_days, calendar_known
from portal.workflow import perform

from .models import COLLECTOR_ROLES, REQUEST_HANDLER_ROLES, DeadlineReminder, DisclosureItem, DisclosureRequest

REMIND_WORKING_DAYS_BEFORE = 3


def item_collect(*, by, title, category, body) -> DisclosureItem:
    """Stage 1: a staff member collects information for their own department."""
    if not has_role(by, *COLLECTOR_ROLES) or not by.department_id:
        raise ActionRefused(_("Only a staff member of a department may collect information."))
    item = DisclosureItem(
        number=next_number("GK"),
        title=title,
        category=category,
        body=body,
        department_id=by.department_id,
        collector=by,
    )
    item.full_clean(exclude=["state"])
    item.save()
    return item


def item_edit(*, item, by, title, category, body, comment="") -> DisclosureItem:
    """Edit in place before content review is passed; afterwards the edit sends the item back to content review."""
    if not item.editable_in_place:
        return perform(item, "revise", by=by, comment=comment, title=title, category=category, body=body)
    if not item_editable_in_place_by(item, by):
        raise ActionRefused(_("Only the collector or the department head may edit this item."))
    with transaction.atomic():
        locked = DisclosureItem.objects.select_for_update().get(pk=item.pk)
        if not locked.editable_in_place:
            raise ActionRefused(_("Someone else acted on this at the same moment. Reload the page and try again."))
        locked.title, locked.category, locked.body = title, category, body
        locked.full_clean(exclude=["state"])
        locked._change_reason = comment
        locked.save()
    return locked


def item_editable_in_place_by(item, user) -> bool:
    """Before content review is passed, the collector and the source department's head may edit."""
    return item.collector_id == user.pk or (has_role(user, Role.DEPT_HEAD) and user.department_id == item.department_id)


def request_register(*, by, received_on: date, **fields) -> DisclosureRequest:
    """Register a request for disclosure; the day of receipt does not count towards the 20 working days."""
    if not has_role(by, *REQUEST_HANDLER_ROLES):
        raise ActionRefused(_("Only the disclosure office may register requests."))
    if received_on > timezone.localdate():
        raise ActionRefused(_("The date of receipt cannot be in the future."))
    request = DisclosureRequest(number=next_number("YSQ"), received_on=received_on, registered_by=by, **fields)
    request.due_on = request.compute_due_on()
    request.full_clean(exclude=["state"])
    request.save()
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


def _users(*roles):
    return list(get_user_model().objects.filter(is_active=True, groups__name__in=roles).distinct())


def remind_request_deadlines(today: date) -> int:
    """Tell the disclosure office about requests due within a few working days, and again when overdue."""
    soon = add_working_days(today, REMIND_WORKING_DAYS_BEFORE)
    handlers = _users(*REQUEST_HANDLER_ROLES)
    sent = 0
    due = DisclosureRequest.objects.open().filter(due_on__isnull=False, due_on__lte=soon)
    for request in due:
        overdue = request.due_on < today
        level = "overdue" if overdue else "soon"
        sent += _remind_once(
            f"request:{request.pk}:answer:{request.due_on}:{level}",
            handlers,
            title=gettext_lazy("Disclosure request %(number)s is overdue (due %(due)s)")
            if overdue
            else gettext_lazy("Disclosure request %(number)s is due on %(due)s"),
            params={"number": request.number, "due": request.due_on},
            url=reverse("disclosure:request_detail", args=[request.pk]),
        )
    sent += _remind_stage_deadline(
        DisclosureRequest.objects.filter(state=DisclosureRequest.State.CONSULTING),
        today,
        handlers,
        "consultation",
        gettext_lazy("The third party's reply to %(number)s is due on %(due)s"),
        lambda request: request.consultation_due_on,
        "disclosure:request_detail",
    )
    sent += _remind_stage_deadline(
        DisclosureRequest.objects.filter(state=DisclosureRequest.State.OPEN, clarification_requested_on__isnull=True),
        today,
        handlers,
        "clarification",
        gettext_lazy("Clarification for %(number)s can be requested only until %(due)s"),
        lambda request: request.clarification_deadline,
        "disclosure:request_detail",
    )
    return sent


def _remind_stage_deadline(queryset, today, recipients, kind, message, deadline_of, url_name):
    soon = add_working_days(today, REMIND_WORKING_DAYS_BEFORE)
    sent = 0
    for obj in queryset:
        deadline = deadline_of(obj)
        if not today <= deadline <= soon:
            continue
        sent += _remind_once(
            f"request:{obj.pk}:{kind}:{deadline}",
            recipients,
            title=message,
            params={"number": obj.number, "due": deadline},
            url=reverse(url_name, args=[obj.pk]),
        )
    return sent


def remind_entry_deadlines(today: date) -> int:
    """Proactive items must be entered within 20 working days of formation: warn IT before and after."""
    soon = add_working_days(today, REMIND_WORKING_DAYS_BEFORE)
    officers = _users(Role.IT_OFFICER, Role.IT_HEAD)
    sent = 0
    items = DisclosureItem.objects.filter(
        state__in=[DisclosureItem.State.ENTRY, DisclosureItem.State.ENTRY_REVIEW], entry_due__lte=soon
    )
    for item in items:
        overdue = item.entry_due < today
        sent += _remind_once(
            f"item:{item.pk}:entry:{item.entry_due}:{'overdue' if overdue else 'soon'}",
            officers,
            title=gettext_lazy("Entry of %(number)s is overdue (due %(due)s)")
            if overdue
            else gettext_lazy("Entry of %(number)s is due on %(due)s"),
            params={"number": item.number, "due": item.entry_due},
            body=item.title,
            url=reverse("disclosure:item_detail", args=[item.pk]),
        )
    return sent


def alert_missing_calendar(today: date) -> bool:
    """From 1 December, warn the administrators once a week while next year's holidays are unknown."""
    next_year = today.year + 1
    if today.month != 12 or calendar_known(next_year):
        return False
    admins = get_user_model().objects.filter(Q(is_superuser=True) | Q(groups__name=Role.IT_HEAD), is_active=True)
    week = today.isocalendar().week
    return _remind_once(
        f"calendar:{next_year}:week{week}",
        admins.distinct(),
        title=gettext_lazy("The holidays of %(year)s are not in the working-day calendar"),
        body=gettext_lazy(
            "Deadlines counted in working days will treat every weekday of %(year)s as a working day. "
            "Enter the statutory holidays and make-up workdays in the holiday table."
        ),
        params={"year": next_year},
        url=reverse("admin:portal_calendarday_changelist"),
    )
