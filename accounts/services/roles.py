"""Giving and taking roles (the Django groups named by ``portal.roles``), governed by 003 (八)14 and recorded."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit
from portal.exceptions import ActionRefused
from portal.people import people_with
from portal.roles import IT_ROLES, Role, role_conflicts
from portal.validation import validated

from ..models import Agreement, RoleChange, User
from ..permissions import may_assign_roles
from .agreements import require_agreement

AGREEMENT_ROLES = (*IT_ROLES, Role.DBA)
"""信息中心员工: they sign the 《医院信息系统保密协议》 before taking up the work (000 保密制度 7)."""


def role_change_refusal(*, user, role: str, give: bool, by) -> str | None:
    """Why ``by`` may not give (or take) ``role`` to (from) ``user`` now, or ``None``."""
    if not may_assign_roles(by):
        return _("Only the IT head gives and takes roles.")
    if user.pk == by.pk:
        return _("Under the secrecy rules (八)14, whoever grants roles may not give or take a role of their own.")
    held = set(user.groups.values_list("name", flat=True))
    if give and role in held:
        return _("%(user)s already holds the role %(role)s.") % {"user": user, "role": Role(role).label}
    if not give and role not in held:
        return _("%(user)s does not hold the role %(role)s.") % {"user": user, "role": Role(role).label}
    return _holding_refusal(user, role) if give else None


def _holding_refusal(user, role: str) -> str | None:
    """Why ``user`` may not come to hold ``role`` (no 工号, or a conflict it would add), or ``None``."""
    if not (user.employee_no or user.is_superuser):
        return _(
            "Under the hospital information system secrecy rules 6, every login is a person's own: record "
            "%(user)s's employee number before giving a role."
        ) % {"user": user}
    held = set(user.groups.values_list("name", flat=True))
    before = set(role_conflicts(held, is_superuser=user.is_superuser))
    new = [reason for reason in role_conflicts(held | {role}, is_superuser=user.is_superuser) if reason not in before]
    return " ".join(new) or None


@transaction.atomic
def role_change(*, user, role: str, give: bool, reason: str, by) -> RoleChange:
    """Give or take one role, with its reason; the change is recorded append-only (who, when, what, why)."""
    subject = user
    user = User.objects.select_for_update().get(pk=subject.pk)
    if role not in Role.values:
        raise ActionRefused(_("Choose one of the portal's roles."))
    if not reason.strip():
        raise ActionRefused(_("A role change needs its reason."))
    refusal = role_change_refusal(user=user, role=role, give=give, by=by)
    if refusal:
        raise ActionRefused(refusal)
    return _record(subject, user, role, give, reason, by)


@transaction.atomic
def role_appoint_first_it_head(*, user, reason: str, by, agreement_signed_on=None) -> RoleChange:
    """The one role the system administrator gives: a first IT head, while none holds the role (a new hospital).

    From then on the IT head gives every role on the role page; the appointment is recorded like any change.
    No one can record the appointee's 保密协议 yet (the IT head or HR does), so ``agreement_signed_on`` records it
    here, first, when it is not on record.
    """
    subject = user
    user = User.objects.select_for_update().get(pk=subject.pk)
    if not by.is_superuser:
        raise ActionRefused(_("Only the system administrator appoints the first IT head."))
    if people_with(Role.IT_HEAD).exists():
        raise ActionRefused(_("The hospital has an IT head: roles are given and taken on the role page."))
    if not reason.strip():
        raise ActionRefused(_("A role change needs its reason."))
    refusal = _holding_refusal(user, Role.IT_HEAD)
    if refusal:
        raise ActionRefused(refusal)
    kind = Agreement.Kind.CONFIDENTIALITY
    if agreement_signed_on and not Agreement.objects.of(user, kind).exists():
        if agreement_signed_on > timezone.localdate():
            raise ActionRefused(_("The signing date cannot be in the future."))
        validated(Agreement(signatory=user, kind=kind, signed_on=agreement_signed_on, recorded_by=by)).save()
    return _record(subject, user, Role.IT_HEAD, True, reason, by)


def _record(subject, user, role, give, reason, by) -> RoleChange:
    if give and role in AGREEMENT_ROLES:
        require_agreement(user, Agreement.Kind.CONFIDENTIALITY)
    group, _created = Group.objects.get_or_create(name=role)
    if give:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    subject.__dict__.pop("_portal_roles", None)  # the cached roles of ``portal.roles.user_roles``
    change = RoleChange.objects.create(
        user=user,
        role=role,
        change=RoleChange.Change.GIVEN if give else RoleChange.Change.TAKEN,
        reason=reason.strip(),
        changed_by=by,
    )
    audit.record(
        audit.Kind.ROLE_CHANGE,
        user=by,
        what=str(user),
        detail={"subject": user.get_username(), "role": role, "change": change.change, "reason": change.reason},
    )
    return change


def role_conflicts_now(users) -> list[tuple[User, list[str]]]:
    """Each of ``users`` whose roles break 003 (八)14 or who logs in with no employee number, with the reasons."""
    found = []
    for user in users.prefetch_related("groups"):
        reasons = role_conflicts({group.name for group in user.groups.all()}, is_superuser=user.is_superuser)
        if not (user.employee_no or user.is_superuser):
            reasons.append(
                _("Under the hospital information system secrecy rules 6, a login needs its employee number.")
            )
        if reasons:
            found.append((user, reasons))
    return found
