"""Reads shared by the drill plan list, its filter and the dashboard."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.dashboard import Awaiting

from .models import DrillPlan, DueStatus, SecurityIncident
from .permissions import may_file_report, may_plan, may_record


def plans_by_due_status(plans, today: datetime.date | None = None) -> dict[str, list[int]]:
    """The pks of the active ``plans`` by due status (one query: the plans with their last drill)."""
    today = today or timezone.localdate()
    groups = {status: [] for status in DueStatus.values}
    for plan in plans.filter(is_active=True).with_last_drill():
        groups[plan.due_status(today)].append(plan.pk)
    return groups


def awaiting(user) -> list[Awaiting]:
    """For the IT head: drills overdue or due soon and incidents to report; for IT: incidents still open."""
    items = []
    plan_list = reverse("emergency:plan_list")
    incident_list = reverse("emergency:incident_list")
    if may_plan(user):
        due = plans_by_due_status(DrillPlan.objects.all())
        items.append(
            Awaiting(
                label=_("Emergency drills overdue"),
                count=len(due[DueStatus.OVERDUE]),
                url=f"{plan_list}?due={DueStatus.OVERDUE}",
                urgent=True,
            )
        )
        items.append(
            Awaiting(
                label=_("Emergency drills due soon"),
                count=len(due[DueStatus.DUE_SOON]),
                url=f"{plan_list}?due={DueStatus.DUE_SOON}",
            )
        )
    if may_record(user):
        items.append(
            Awaiting(
                label=_("Open security incidents"),
                count=SecurityIncident.objects.filter(state=SecurityIncident.State.OPEN).count(),
                url=f"{incident_list}?state={SecurityIncident.State.OPEN}",
                urgent=True,
            )
        )
    if may_file_report(user):
        items.append(
            Awaiting(
                label=_("Resolved security incidents to report to the hospital"),
                count=SecurityIncident.objects.filter(state=SecurityIncident.State.RESOLVED).count(),
                url=f"{incident_list}?state={SecurityIncident.State.RESOLVED}",
                urgent=True,
            )
        )
    return items
