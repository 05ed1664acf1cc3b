"""Departures and transfers: opening one, the lines IT must close, the network handover, completion."""

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backups.selectors import dba_handover_status
from inventory.models import Stocktake
from inventory.selectors import equipment_in_custody
from portal.exceptions import ActionRefused
from portal.notifications import notify_roles
from portal.numbering import next_number
from portal.roles import IT_ROLES, Role, has_role
from portal.validation import validated
from portal.workflow import perform
from repairs.selectors import open_tickets_assigned_to

from ..models import CustodyMove, Departure, Grant, NetworkRequest, PrivilegedAccount
from ..permissions import DEPARTURE_OPENERS, handover_refusal
from .access import grant_mark_revocation_due


@dataclass(frozen=True)
class OpenLine:
    """One thing IT must revoke, reassign or record before HR may complete a departure."""

    kind: str
    label: str
    url: str = ""
    grant: Grant | None = None
    network_request: NetworkRequest | None = None

    @property
    def is_network_handover(self):
        return self.kind == "network_handover"


def departure_open(*, by, user, kind, last_day, to_department=None, successor=None, reason=""):
    if not has_role(by, *DEPARTURE_OPENERS):
        raise ActionRefused(_("Only HR opens a departure or transfer."))
    if user == by:
        raise ActionRefused(_("HR cannot open a departure or transfer for themselves."))
    return _open(
        by=by, user=user, kind=kind, last_day=last_day, to_department=to_department, successor=successor, reason=reason
    )


def departure_open_from_directory(*, by, user, kind, to_department=None, reason):
    """The directory sync opens a departure (account disabled or gone) or a transfer (department changed)."""
    return _open(by=by, user=user, kind=kind, last_day=timezone.localdate(), to_department=to_department, reason=reason)


def _open(*, by, user, kind, last_day, to_department=None, successor=None, reason=""):
    if kind == Departure.Kind.TRANSFER and (to_department is None or to_department == user.department):
        raise ActionRefused(_("A transfer needs a new department other than the current one."))
    if Departure.objects.filter(user=user, state=Departure.State.OPEN).exists():
        raise ActionRefused(_("This staff member already has an open departure or transfer."))
    if successor is not None and successor == user:
        raise ActionRefused(_("The successor must be someone other than the person leaving."))
    if user.department is None:
        raise ActionRefused(_("The staff member has no department."))
    departure = Departure(
        number=next_number("LG"),
        kind=kind,
        user=user,
        from_department=user.department,
        to_department=to_department if kind == Departure.Kind.TRANSFER else None,
        last_day=last_day,
        successor=successor,
        reason=reason,
        network_admin_at_opening=departure_is_network_admin(user),
        opened_by=by,
    )
    with transaction.atomic():
        validated(departure)
        departure.save()
        for grant in Grant.objects.filter(user=user, state=Grant.State.ACTIVE):
            grant_mark_revocation_due(grant=grant, reason=Grant.RevocationReason.DEPARTURE, comment=departure.number)
    notify_roles(
        list(IT_ROLES),
        title=gettext_lazy("%(kind)s %(number)s: revoke access of %(user)s"),
        url=departure.get_absolute_url(),
        params={"kind": Departure.Kind(departure.kind).label, "number": departure.number, "user": user},
    )
    return departure


def departure_is_network_admin(user):
    """A network administrator is the custodian of a network-device account."""
    return PrivilegedAccount.objects.filter(custodians=user, kind=PrivilegedAccount.Kind.NETWORK).exists()


def departure_open_lines(departure) -> list[OpenLine]:
    """Everything still open for the person leaving; an empty list means HR may complete."""
    user = departure.user
    lines = [
        OpenLine(
            "grant",
            _("Access to %(system)s (account %(account)s)")
            % {"system": grant.system.name, "account": grant.account_name},
            grant=grant,
        )
        for grant in Grant.objects.held().filter(user=user).select_related("system")
    ]
    lines += [
        OpenLine(
            "network",
            _("Internet access for %(computer)s (IP %(ip)s)")
            % {"computer": network.computer_display, "ip": network.ip_address},
            url=network.get_absolute_url(),
            network_request=network,
        )
        for network in NetworkRequest.objects.filter(applicant=user, state=NetworkRequest.State.ACTIVE)
    ]
    lines += [
        OpenLine(
            "custody",
            _("Custody of tier-%(tier)s account %(account)s") % {"tier": account.tier, "account": account},
            url=reverse("accounts:privileged_account_edit", args=[account.pk]),
        )
        for account in PrivilegedAccount.objects.filter(custodians=user, is_active=True)
    ]
    lines += [
        OpenLine(
            "custody_password",
            _("Password of %(account)s not yet changed after custody moved off them (001 一(三)7)")
            % {"account": move.account},
            url=reverse("accounts:privileged_account_detail", args=[move.account_id]),
        )
        for move in CustodyMove.objects.filter(
            former_custodian=user, password_changed_at__isnull=True, account__is_active=True
        ).select_related("account")
    ]
    lines += [
        OpenLine("equipment", _("Equipment in their custody: %(item)s") % {"item": item}, url=item.get_absolute_url())
        for item in equipment_in_custody(user)
    ]
    lines += [
        OpenLine(
            "repair_ticket",
            _("Repair ticket still assigned to them: %(ticket)s") % {"ticket": ticket.number},
            url=ticket.get_absolute_url(),
        )
        for ticket in open_tickets_assigned_to(user)
    ]
    return lines + _it_handover_lines(departure)


def _it_handover_lines(departure):
    """工作移交: the policy's extra conditions for a leaving network admin, DBA and maintainer."""
    user = departure.user
    lines = []
    if departure.network_handover_at is None and (
        departure.network_admin_at_opening or departure_is_network_admin(user)
    ):
        lines.append(OpenLine("network_handover", _("Network user list, permissions and logbook not yet handed over")))
    if has_role(user, Role.DBA):
        done, message = dba_handover_status(user)
        if not done:
            lines.append(OpenLine("dba_handover", _("DBA handover: %(status)s") % {"status": message}))
    if has_role(user, Role.IT_OFFICER) and not _custody_stocktake_matched(departure):
        lines.append(
            OpenLine(
                "stocktake",
                _(
                    "Equipment register not yet counted item by item (a closed stocktake of their custody with nothing missing)"
                ),
                url=reverse("inventory:stocktake_list"),
            )
        )
    return lines


def _custody_stocktake_matched(departure):
    return Stocktake.objects.filter(
        scope=Stocktake.Scope.CUSTODIAN,
        custodian=departure.user,
        state=Stocktake.State.CLOSED,
        missing_count=0,
        closed_at__gte=departure.opened_at,
    ).exists()


def departure_record_network_handover(*, departure, by):
    reason = handover_refusal(by, departure)
    if reason:
        raise ActionRefused(reason)
    departure.network_handover_by, departure.network_handover_at = by, timezone.now()
    departure.save(update_fields=["network_handover_by", "network_handover_at"])
    return departure


def departure_act(*, departure, action, by, comment="", **arguments):
    """The one entry point for a departure's steps. HR completes only when IT has closed every line."""
    if action == "complete":
        lines = departure_open_lines(departure)
        if lines:
            raise ActionRefused(
                _("IT must close these first: %(lines)s.") % {"lines": "；".join(str(line.label) for line in lines)}
            )
    return perform(departure, action, by=by, comment=comment, **arguments)
