"""Reads other apps and the dashboard share: custody registers and "awaiting me"."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.dashboard import Awaiting
from portal.roles import Role, has_role

from .models import ConfigChange, Equipment, SpareLoan, Stocktake, StocktakeItem


def equipment_in_custody(user):
    """The devices a person keeps (保管人), not scrapped: what a leaving maintainer must hand over."""
    return Equipment.objects.filter(custodian=user).active().select_related("category", "department")


def awaiting(user) -> list[Awaiting]:
    """At most three queries: scrap/parameter approvals, open stocktakes, loans due back."""
    items = []
    today = timezone.localdate()
    if has_role(user, Role.IT_HEAD):
        pending_scrap = Equipment.objects.filter(status=Equipment.Status.PENDING_SCRAP).count()
        items.append(
            Awaiting(
                _("Scrap requests to approve"),
                pending_scrap,
                reverse("inventory:equipment_list") + "?status=pending_scrap",
            )
        )
        pending_changes = ConfigChange.objects.filter(state=ConfigChange.State.PENDING_APPROVAL).count()
        items.append(
            Awaiting(_("Server parameter changes to approve"), pending_changes, reverse("inventory:change_list"))
        )
    if has_role(user, Role.IT_OFFICER, Role.IT_HEAD):
        loans = SpareLoan.objects.open().aggregate(
            overdue=Count("id", filter=Q(expected_return__lt=today)),
            due_soon=Count("id", filter=Q(expected_return__gte=today, expected_return__lte=today + timedelta(days=2))),
        )
        items.append(
            Awaiting(
                _("Overdue spare loans"), loans["overdue"], reverse("inventory:loan_list") + "?state=overdue", True
            )
        )
        items.append(
            Awaiting(_("Spare loans due back within 2 days"), loans["due_soon"], reverse("inventory:loan_list"))
        )
    if has_role(user, Role.DEPT_HEAD) and user.department_id:
        uncounted = StocktakeItem.objects.filter(
            stocktake__state=Stocktake.State.OPEN,
            stocktake__scope=Stocktake.Scope.DEPARTMENT,
            stocktake__department_id=user.department_id,
            result=StocktakeItem.Result.PENDING,
        ).count()
        items.append(
            Awaiting(_("Stocktake items of your department to confirm"), uncounted, reverse("inventory:stocktake_list"))
        )
    return items
