"""Periodic reconciliation of each department's equipment (信息系统维护员职责 5: 定期核对设备台账, 确保设备与账面统一).

A department is reconciled by a closed stocktake of the department or of the whole hospital; the next one is due
``STOCKTAKE_INTERVAL_DAYS`` after the last (default a year). A department with devices and no reconciliation yet
is overdue (its due date is empty). IT is reminded ``STOCKTAKE_NOTICE_DAYS`` before a due date and again once it has passed.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import Department
from portal.notifications import notify, notify_roles
from portal.roles import IT_ROLES

from .models import Equipment, Stocktake, StocktakeReminder

CLOSED = Q(stocktakes__state=Stocktake.State.CLOSED, stocktakes__scope=Stocktake.Scope.DEPARTMENT)


@dataclass(frozen=True)
class Due:
    department: Department
    devices: int
    last: date | None  # the day of the last reconciliation, none yet if None
    due_on: date | None  # None: never reconciled, due at once
    counting: bool  # a stocktake of the department is open now

    @property
    def stage(self):
        today = timezone.localdate()
        if self.due_on is None or self.due_on < today:
            return StocktakeReminder.Stage.OVERDUE
        if self.due_on <= today + timedelta(days=settings.STOCKTAKE_NOTICE_DAYS):
            return StocktakeReminder.Stage.DUE_SOON
        return None

    @property
    def badge(self):
        """How the row's status is shown: (Bootstrap colour, label)."""
        if self.counting:
            return "info", Stocktake.State.OPEN.label
        return {
            StocktakeReminder.Stage.OVERDUE: ("danger", StocktakeReminder.Stage.OVERDUE.label),
            StocktakeReminder.Stage.DUE_SOON: ("warning", StocktakeReminder.Stage.DUE_SOON.label),
        }.get(self.stage, ("success", gettext_lazy("Up to date")))


def schedule() -> list[Due]:
    """Every department that has devices, the most overdue first: two queries whatever the number of departments."""
    hospital = Stocktake.objects.filter(scope=Stocktake.Scope.ALL, state=Stocktake.State.CLOSED).aggregate(
        last=Max("closed_at")
    )["last"]
    departments = (
        Department.objects.annotate(
            devices=Count("equipment", filter=~Q(equipment__status=Equipment.Status.SCRAPPED), distinct=True),
            last=Max("stocktakes__closed_at", filter=CLOSED),
            counting=Count("stocktakes", filter=Q(stocktakes__state=Stocktake.State.OPEN), distinct=True),
        )
        .filter(devices__gt=0)
        .select_related("head")
    )
    interval = timedelta(days=settings.STOCKTAKE_INTERVAL_DAYS)
    rows = []
    for department in departments:
        moments = [moment for moment in (department.last, hospital) if moment is not None]
        last = timezone.localdate(max(moments)) if moments else None
        rows.append(
            Due(department, department.devices, last, last + interval if last else None, department.counting > 0)
        )
    return sorted(rows, key=lambda row: (row.due_on or date.min, row.department.name))


def overdue_count() -> int:
    """Departments overdue and not being counted now (an open stocktake is the reconciliation under way)."""
    return sum(1 for row in schedule() if row.stage == StocktakeReminder.Stage.OVERDUE and not row.counting)


def remind_due() -> int:
    """Tell IT (one notice) and each department head which reconciliations are due soon or overdue, once a stage."""
    reminded = []
    for row in schedule():
        if row.stage is None or row.counting:
            continue
        try:
            with transaction.atomic():
                StocktakeReminder.objects.create(department=row.department, due_on=row.due_on, stage=row.stage)
        except IntegrityError:
            continue
        reminded.append(row)
        if row.department.head_id:
            notify(
                [row.department.head],
                title=gettext_lazy("Your department's equipment is due for reconciliation with the ledger"),
                body=gettext_lazy("Reconcile by %(date)s.") if row.due_on else "",
                url=reverse("inventory:stocktake_list"),
                params={"date": row.due_on.isoformat() if row.due_on else ""},
            )
    if reminded:
        notify_roles(
            IT_ROLES,
            title=gettext_lazy("Equipment reconciliation due or overdue for %(n)s departments"),
            body="\n".join(f"{row.department} · {row.due_on or '—'}" for row in reminded),
            url=reverse("inventory:stocktake_schedule"),
            params={"n": len(reminded)},
        )
    return len(reminded)
