"""Rules of access governance: requests and grants, departures, external network, privileged accounts,
sensitive-statistics queries and recertification. Views call these; each refuses with ActionRefused."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.exceptions import ActionRefused
from portal.models import TransitionLog
from portal.notifications import notify, notify_roles, users_with_role
from portal.numbering import next_number
from portal.roles import Role, has_role
from portal.workflow import perform

from .models import (
    Departure,
    Grant,
    MajorOperation,
    NetworkRequest,
    PermissionRequest,
    PrivilegedAccount,
    RecertificationCampaign,
    RecertificationItem,
    SensitiveQueryLog,
    SensitiveQueryRequest,
    User,
)

IT_STAFF = (Role.IT_OFFICER, Role.IT_HEAD)


def _validated(obj):
    # The protected FSM state field refuses the re-assignment full_clean would make; transitions own it.
    try:
        obj.full_clean(exclude=["state"])
    except ValidationError as error:
        raise ActionRefused(" ".join(error.messages)) from error
    return obj


def _heads_of(department):
    """Department heads of a department: the named head plus any dept_head member."""
    heads = list(User.objects.filter(department=department, groups__name=Role.DEPT_HEAD, is_active=True).distinct())
    if department.head and department.head not in heads:
        heads.append(department.head)
    return heads


# --- Permission requests and grants ------------------------------------------------------------


def permission_request_submit(*, by, subject, kind, system, modules, reason, ends_on=None):
    """File 《信息系统用户权限新增更改注销申请表》 for oneself or, as department head, for a member of staff.

    A department head filing for their own staff has signed the form as head: the request starts at the next step.
    """
    if subject != by and not (has_role(by, Role.DEPT_HEAD) and subject.department_id == by.department_id):
        raise ActionRefused(_("Only a department head may file a request for a member of their own department."))
    if subject.department_id is None:
        raise ActionRefused(_("The user has no department, so no department head can sign the request."))
    held = Grant.objects.held().filter(user=subject, system=system).first()
    if kind == PermissionRequest.Kind.ADD and held:
        raise ActionRefused(
            _("%(user)s already holds access to %(system)s; file a change request instead.")
            % {"user": subject, "system": system.name}
        )
    if kind != PermissionRequest.Kind.ADD and not held:
        raise ActionRefused(
            _("%(user)s holds no access to %(system)s to change or revoke.") % {"user": subject, "system": system.name}
        )
    foreign = [module for module in modules if module.system_id != system.pk]
    if foreign:
        raise ActionRefused(
            _("These modules do not belong to %(system)s: %(modules)s.")
            % {"system": system.name, "modules": "、".join(m.name for m in foreign)}
        )
    signs_as_head = subject != by and has_role(by, Role.DEPT_HEAD)
    fields = {
        "kind": kind,
        "applicant": by,
        "subject": subject,
        "department": subject.department,
        "system": system,
        "reason": reason,
        "ends_on": ends_on,
        "grant": held,
    }
    if signs_as_head:
        next_state = PermissionRequest.State.DEPT_APPROVED if system.needs_it_head else PermissionRequest.State.APPROVED
        fields.update(state=next_state, dept_approver=by, dept_approved_at=timezone.now())
    with transaction.atomic():
        request = PermissionRequest(number=next_number("QX"), **fields)
        _validated(request)
        request.save()
        request.modules.set(modules)
        if signs_as_head:
            TransitionLog.objects.record(
                TransitionLog(
                    content_type=ContentType.objects.get_for_model(PermissionRequest),
                    object_id=request.pk,
                    action="approve",
                    from_state=PermissionRequest.State.SUBMITTED,
                    to_state=request.state,
                    actor=by,
                    comment=_("Signed by the department head when filing for a member of staff."),
                )
            )
    _notify_next_handlers(request)
    return request


def permission_request_act(*, request, action, by, comment="", **arguments):
    """Run one step of the request flow and tell whoever handles the next step."""
    request = perform(request, action, by=by, comment=comment, **arguments)
    _notify_next_handlers(request)
    return request


def _notify_next_handlers(request):
    if request.state == PermissionRequest.State.SUBMITTED:
        recipients = _heads_of(request.department)
    elif request.state == PermissionRequest.State.DEPT_APPROVED:
        recipients = users_with_role(Role.IT_HEAD)
    elif request.state == PermissionRequest.State.APPROVED:
        recipients = users_with_role(Role.IT_OFFICER)
    else:
        recipients = [request.applicant, request.subject]
    notify(
        recipients,
        title=gettext_lazy("Permission request %(number)s: %(state)s"),
        params={"number": request.number, "state": PermissionRequest.State(request.state).label},
        body=str(request),
        url=request.get_absolute_url(),
    )


def grant_apply_request(*, request, by):
    """Provisioning: create, change or revoke the grant the request names. Runs inside the transition."""
    if request.kind == PermissionRequest.Kind.ADD:
        if not request.account_name:
            raise ActionRefused(_("Record the account name created in the system."))
        grant = Grant(
            user=request.subject, system=request.system, account_name=request.account_name, ends_on=request.ends_on
        )
        _validated(grant)
        try:
            with transaction.atomic():
                grant.save()
        except IntegrityError as error:
            raise ActionRefused(_("This user already holds access to this system.")) from error
        grant.modules.set(request.modules.all())
        request.grant = grant
        return grant
    grant = Grant.objects.select_for_update().get(pk=request.grant_id)
    if grant.state == Grant.State.REVOKED:
        raise ActionRefused(_("This access has already been revoked."))
    if request.kind == PermissionRequest.Kind.CHANGE:
        grant.account_name = request.account_name or grant.account_name
        grant.ends_on = request.ends_on
        grant.save()
        grant.modules.set(request.modules.all())
        return grant
    perform(grant, "revoke", by=by, comment=request.number, reason=Grant.RevocationReason.REQUEST)
    return grant


def grant_mark_revocation_due(*, grant, reason, comment=""):
    """Raise a revocation task for IT (an expired, departed or unconfirmed grant)."""
    if grant.state != Grant.State.ACTIVE:
        return grant
    return perform(grant, "mark_revocation_due", by=None, comment=comment, reason=reason)


def grant_revoke(*, grant, by, comment=""):
    return perform(grant, "revoke", by=by, comment=comment)


def grants_expire(*, today: date | None = None) -> int:
    """Time-bound grants whose end date has passed become revocation tasks for IT (once each)."""
    today = today or timezone.localdate()
    expired = list(Grant.objects.filter(state=Grant.State.ACTIVE, ends_on__lt=today).select_related("system", "user"))
    for grant in expired:
        grant_mark_revocation_due(
            grant=grant,
            reason=Grant.RevocationReason.EXPIRED,
            comment=_("Access ended on %(date)s.") % {"date": grant.ends_on},
        )
    if expired:
        notify_roles(
            [Role.IT_OFFICER],
            title=gettext_lazy("%(count)s expired grants to revoke"),
            body="\n".join(str(grant) for grant in expired[:20]),
            url=reverse("accounts:grant_list") + "?state=revocation_due",
            params={"count": len(expired)},
        )
    return len(expired)


# --- Departures and transfers ------------------------------------------------------------------


@dataclass(frozen=True)
class OpenLine:
    """One thing IT must revoke, reassign or record before HR may complete a departure."""

    kind: str
    label: str
    url: str = ""
    grant: Grant | None = None
    network_request: NetworkRequest | None = None


def departure_open(*, by, user, kind, last_day, to_department=None, successor=None, reason=""):
    if not has_role(by, Role.HR):
        raise ActionRefused(_("Only HR opens a departure or transfer."))
    if user == by:
        raise ActionRefused(_("HR cannot open a departure or transfer for themselves."))
    if kind == Departure.Kind.TRANSFER and (to_department is None or to_department == user.department):
        raise ActionRefused(_("A transfer needs a new department other than the current one."))
    if Departure.objects.filter(user=user, state=Departure.State.OPEN).exists():
        raise ActionRefused(_("This staff member already has an open departure or transfer."))
    if successor is not None and successor == user:
        raise ActionRefused(_("The successor must be someone other than the person leaving."))
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
    if user.department is None:
        raise ActionRefused(_("The staff member has no department."))
    with transaction.atomic():
        _validated(departure)
        departure.save()
        for grant in Grant.objects.filter(user=user, state=Grant.State.ACTIVE):
            grant_mark_revocation_due(grant=grant, reason=Grant.RevocationReason.DEPARTURE, comment=departure.number)
    notify_roles(
        list(IT_STAFF),
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
    lines = []
    for grant in Grant.objects.held().filter(user=user).select_related("system"):
        lines.append(
            OpenLine(
                "grant",
                _("Access to %(system)s (account %(account)s)")
                % {"system": grant.system.name, "account": grant.account_name},
                grant=grant,
            )
        )
    for network in NetworkRequest.objects.filter(applicant=user, state=NetworkRequest.State.ACTIVE):
        lines.append(
            OpenLine(
                "network",
                _("Internet access for %(computer)s (IP %(ip)s)")
                % {"computer": network.computer_display, "ip": network.ip_address},
                url=network.get_absolute_url(),
                network_request=network,
            )
        )
    for account in PrivilegedAccount.objects.filter(custodians=user, is_active=True):
        lines.append(
            OpenLine(
                "custody",
                _("Custody of tier-%(tier)s account %(account)s") % {"tier": account.tier, "account": account},
                url=reverse("accounts:privileged_account_edit", args=[account.pk]),
            )
        )
    lines.extend(_equipment_lines(departure))
    lines.extend(_repair_ticket_lines(departure))
    lines.extend(_it_handover_lines(departure))
    return lines


def _repair_ticket_lines(departure):
    from repairs.selectors import open_tickets_assigned_to

    return [
        OpenLine(
            "repair_ticket",
            _("Repair ticket still assigned to them: %(ticket)s") % {"ticket": ticket.number},
            url=ticket.get_absolute_url(),
        )
        for ticket in open_tickets_assigned_to(departure.user)
    ]


def _equipment_lines(departure):
    from inventory.selectors import equipment_in_custody

    return [
        OpenLine("equipment", _("Equipment in their custody: %(item)s") % {"item": item}, url=item.get_absolute_url())
        for item in equipment_in_custody(departure.user)
    ]


def _it_handover_lines(departure):
    """工作移交: the policy's extra conditions for a leaving network admin, DBA and maintainer."""
    user = departure.user
    lines = []
    if departure.network_handover_at is None and (
        departure.network_admin_at_opening or departure_is_network_admin(user)
    ):
        lines.append(OpenLine("network_handover", _("Network user list, permissions and logbook not yet handed over")))
    if has_role(user, Role.DBA):
        from backups.selectors import dba_handover_status

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
    from inventory.models import Stocktake

    return Stocktake.objects.filter(
        scope=Stocktake.Scope.CUSTODIAN,
        custodian=departure.user,
        state=Stocktake.State.CLOSED,
        missing_count=0,
        closed_at__gte=departure.opened_at,
    ).exists()


def departure_record_network_handover(*, departure, by):
    if not has_role(by, Role.IT_HEAD):
        raise ActionRefused(_("The IT head arranges the handover and records it."))
    if by == departure.user:
        raise ActionRefused(_("The person leaving cannot confirm their own handover."))
    if departure.state != Departure.State.OPEN:
        raise ActionRefused(_("This departure is no longer open."))
    departure.network_handover_by, departure.network_handover_at = by, timezone.now()
    departure.save(update_fields=["network_handover_by", "network_handover_at"])
    return departure


def departure_complete(*, departure, by, comment=""):
    """HR completes only when IT has closed every line; the refusal names what is still open."""
    with transaction.atomic():
        lines = departure_open_lines(departure)
        if lines:
            raise ActionRefused(
                _("IT must close these first: %(lines)s.") % {"lines": "；".join(str(line.label) for line in lines)}
            )
        departure = perform(departure, "complete", by=by, comment=comment)
        user = departure.user
        if departure.kind == Departure.Kind.TRANSFER:
            user.department = departure.to_department
            user.save(update_fields=["department"])
        else:
            user.is_active = False
            user.save(update_fields=["is_active"])
    return departure


# --- External network access -------------------------------------------------------------------


def network_request_submit(*, by, computer, reason):
    if by.department_id is None:
        raise ActionRefused(_("You have no department to file the request for."))
    request = NetworkRequest(
        number=next_number("WW"), applicant=by, department=by.department, computer=computer, reason=reason
    )
    with transaction.atomic():
        _validated(request)
        request.save()
    notify_roles(
        [Role.LEADER],
        title=gettext_lazy("External network request %(number)s awaits approval"),
        url=request.get_absolute_url(),
        params={"number": request.number},
    )
    return request


def network_request_act(*, request, action, by, comment="", **arguments):
    if action == "open_access":
        clash = NetworkRequest.objects.filter(
            state=NetworkRequest.State.ACTIVE, ip_address=arguments.get("ip_address")
        ).exclude(pk=request.pk)
        if clash.exists():
            raise ActionRefused(_("This IP address is already assigned to another computer with internet access."))
    request = perform(request, action, by=by, comment=comment, **arguments)
    if request.state == NetworkRequest.State.APPROVED:
        notify_roles(
            [Role.IT_OFFICER],
            title=gettext_lazy("External network request %(number)s approved: set it up"),
            url=request.get_absolute_url(),
            params={"number": request.number},
        )
    elif request.state in (NetworkRequest.State.ACTIVE, NetworkRequest.State.REJECTED):
        notify(
            [request.applicant],
            title=gettext_lazy("External network request %(number)s: %(state)s"),
            url=request.get_absolute_url(),
            params={"number": request.number, "state": NetworkRequest.State(request.state).label},
        )
    return request


# --- Privileged accounts -----------------------------------------------------------------------


def privileged_account_save(*, account, custodians, by):
    if not has_role(by, *IT_STAFF, Role.DBA):
        raise ActionRefused(_("Only IT keeps the privileged-account register."))
    if not custodians:
        raise ActionRefused(_("Name at least one custodian."))
    _validated(account)
    account.save()
    account.custodians.set(custodians)
    return account


def privileged_account_record_rotation(*, account, changed_on, by):
    if not (has_role(by, *IT_STAFF) or account.custodians.filter(pk=by.pk).exists()):
        raise ActionRefused(_("Only the account's custodians or IT record a password change."))
    if changed_on > timezone.localdate():
        raise ActionRefused(_("The date of the password change cannot be in the future."))
    if changed_on < account.last_password_change:
        raise ActionRefused(_("The date is earlier than the last recorded password change."))
    account.last_password_change = changed_on
    account.overdue_flagged_for = None
    account._change_reason = _("Password changed")
    account.save()
    return account


def major_operation_record(*, account, description, performed_by, performed_at, witness, by):
    if not account.needs_operation_log:
        raise ActionRefused(_("Major-operation records are kept for tier 1 and tier 2 accounts."))
    if not (has_role(by, *IT_STAFF, Role.DBA) or account.custodians.filter(pk=by.pk).exists()):
        raise ActionRefused(_("Only IT or the account's custodians record major operations."))
    if performed_at > timezone.now():
        raise ActionRefused(_("The operation time cannot be in the future."))
    operation = MajorOperation(
        account=account,
        description=description,
        performed_by=performed_by,
        performed_at=performed_at,
        witness=witness,
        recorded_by=by,
    )
    _validated(operation)
    operation.save()
    return operation


def privileged_rotation_flag_overdue(*, today: date | None = None) -> int:
    """Daily: tell custodians and the IT head about each account past its rotation, once per due date."""
    today = today or timezone.localdate()
    overdue = list(
        PrivilegedAccount.objects.rotation_overdue(today)
        .exclude(overdue_flagged_for=F("rotation_due_on"))
        .prefetch_related("custodians")
    )
    heads = list(users_with_role(Role.IT_HEAD))
    for account in overdue:
        notify(
            list(account.custodians.all()) + heads,
            title=gettext_lazy("Password change overdue: %(account)s (tier %(tier)s)"),
            body=gettext_lazy("Due on %(date)s."),
            url=account.get_absolute_url(),
            params={"account": account, "tier": account.tier, "date": account.rotation_due_on},
        )
        PrivilegedAccount.objects.filter(pk=account.pk).update(overdue_flagged_for=account.rotation_due_on)
    return len(overdue)


# --- Sensitive-statistics queries (防统方) ------------------------------------------------------


def sensitive_request_submit(*, by, purpose, scope, scope_detail, period_start, period_end):
    if not SensitiveQueryRequest.may_be_filed_by(by):
        roles = "、".join(str(Role(role).label) for role in settings.SENSITIVE_QUERY_ROLES)
        raise ActionRefused(_("Only these roles may do this: %(roles)s.") % {"roles": roles})
    if by.department_id is None:
        raise ActionRefused(_("You have no department to file the request for."))
    request = SensitiveQueryRequest(
        number=next_number("TF"),
        applicant=by,
        department=by.department,
        purpose=purpose,
        scope=scope,
        scope_detail=scope_detail,
        period_start=period_start,
        period_end=period_end,
    )
    with transaction.atomic():
        _validated(request)
        request.save()
    notify(
        _heads_of(request.department),
        title=gettext_lazy("Sensitive query %(number)s awaits approval"),
        url=request.get_absolute_url(),
        params={"number": request.number},
    )
    return request


def sensitive_request_act(*, request, action, by, comment=""):
    request = perform(request, action, by=by, comment=comment)
    if request.state == SensitiveQueryRequest.State.APPROVED:
        notify_roles(
            [Role.AUDITOR],
            title=gettext_lazy("Sensitive query %(number)s approved: file it"),
            body=str(request),
            url=request.get_absolute_url(),
            params={"number": request.number},
        )
    return request


def sensitive_query_record(*, by, approval, computer_no, operator_code, run_at: datetime, scope):
    """IT logs a query actually run; one without a valid approval is flagged to the discipline office at once."""
    if not has_role(by, *IT_STAFF):
        raise ActionRefused(_("Only IT records the query log."))
    if approval is not None and not approval.is_approved:
        raise ActionRefused(_("Approval %(number)s has not been approved.") % {"number": approval.number})
    if run_at > timezone.now() + timedelta(minutes=5):
        raise ActionRefused(_("The query time cannot be in the future."))
    entry = SensitiveQueryLog(
        approval=approval,
        computer_no=computer_no,
        operator_code=operator_code,
        run_at=run_at,
        scope=scope,
        recorded_by=by,
    )
    _validated(entry)
    entry.save()
    if approval is None:
        notify_roles(
            [Role.AUDITOR],
            title=gettext_lazy("Sensitive query without approval on computer %(computer)s"),
            body=gettext_lazy("Operator %(operator)s, %(scope)s"),
            url=reverse("accounts:sensitive_query_log"),
            params={"computer": computer_no, "operator": operator_code, "scope": scope},
        )
    return entry


def sensitive_query_mark_reviewed(*, entry, by, note=""):
    if not has_role(by, Role.AUDITOR):
        raise ActionRefused(_("Only the discipline office reviews the query log."))
    if entry.reviewed_at:
        raise ActionRefused(_("This entry has already been reviewed."))
    entry.reviewed_by, entry.reviewed_at, entry.review_note = by, timezone.now(), note
    entry.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    return entry


# --- Recertification ---------------------------------------------------------------------------


def quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def recertification_open_campaign(*, today: date | None = None, answer_days=14):
    """Open this quarter's campaign once: one item per held grant, answered by the user's department head."""
    today = today or timezone.localdate()
    campaign, created = RecertificationCampaign.objects.get_or_create(
        quarter=quarter_of(today), defaults={"due_on": today + timedelta(days=answer_days)}
    )
    if not created:
        return campaign
    it_head = users_with_role(Role.IT_HEAD).order_by("pk").first()
    grants = Grant.objects.filter(state=Grant.State.ACTIVE).select_related("user__department__head")
    items = []
    for grant in grants.iterator(chunk_size=2000):
        department = grant.user.department
        head = department.head if department else None
        # No one recertifies their own access: a head's own grants go to the IT head.
        reviewer = head if head is not None and head.pk != grant.user_id else it_head
        if reviewer is None:
            continue
        items.append(RecertificationItem(campaign=campaign, grant=grant, reviewer=reviewer, department=department))
    RecertificationItem.objects.bulk_create(items, batch_size=2000, ignore_conflicts=True)
    reviewers = User.objects.filter(pk__in={item.reviewer_id for item in items})
    notify(
        reviewers,
        title=gettext_lazy("Access recertification %(quarter)s"),
        body=gettext_lazy("Confirm or revoke each grant of your staff by %(date)s."),
        params={"quarter": campaign.quarter, "date": campaign.due_on},
        url=campaign.get_absolute_url(),
    )
    return campaign


def recertification_decide(*, item, decision, by):
    if item.reviewer_id != by.pk:
        raise ActionRefused(_("Only the reviewer named for this grant may answer."))
    if item.grant.user_id == by.pk:
        raise ActionRefused(_("No one recertifies their own access."))
    if item.decision != RecertificationItem.Decision.PENDING:
        raise ActionRefused(_("This grant has already been answered."))
    if decision not in (RecertificationItem.Decision.CONFIRMED, RecertificationItem.Decision.REVOKED):
        raise ActionRefused(_("Choose confirm or revoke."))
    with transaction.atomic():
        item.decision, item.decided_at = decision, timezone.now()
        item.save(update_fields=["decision", "decided_at"])
        if decision == RecertificationItem.Decision.REVOKED:
            grant_mark_revocation_due(
                grant=item.grant, reason=Grant.RevocationReason.RECERTIFICATION, comment=str(item.campaign)
            )
    return item


def recertification_escalate(*, today: date | None = None) -> int:
    """Unanswered items past the campaign's date go to the IT head and leaders, once each."""
    today = today or timezone.localdate()
    overdue = RecertificationItem.objects.filter(
        decision=RecertificationItem.Decision.PENDING, escalated_at__isnull=True, campaign__due_on__lt=today
    )
    count = overdue.update(escalated_at=timezone.now())
    if count:
        notify_roles(
            [Role.IT_HEAD, Role.LEADER],
            title=gettext_lazy("%(count)s recertification answers are overdue"),
            url=reverse("accounts:recertification_list"),
            params={"count": count},
        )
    return count
