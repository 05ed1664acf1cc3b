"""Delegation (代理): a department head names a deputy for their leave; the portal gives and takes the right.

The right is a django-guardian permission on the department, given here only: on naming (when the range has
begun), by the hourly tick on the first day, and taken when the range is over or the delegation is ended
early. Each change is in the security audit log.
"""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm, remove_perm

from portal import audit
from portal.exceptions import ActionRefused
from portal.roles import Role, has_role

from ..models import Delegation, Department, User
from ..permissions import DELEGATION_PERMISSION, delegation_end_refusal, naming_refusal

PERMISSION = f"accounts.{DELEGATION_PERMISSION}"


def _changed():
    """A delegation or a deputy's right changed: cached answers of ``acts_for_head`` are asked again."""
    Delegation.generation += 1


@transaction.atomic
def delegation_create(*, by, deputy, starts_on: date, ends_on: date, reason: str, principal=None) -> Delegation:
    """``by`` (a department head for themselves, or the IT head for ``principal``) names ``deputy`` for the days
    ``starts_on``–``ends_on``; wrong input is refused field by field (``ValidationError``)."""
    principal = principal or by
    department = principal.department
    if department is None or not has_role(principal, Role.DEPT_HEAD):
        raise ValidationError({"principal": _("%(person)s is not a department head.") % {"person": principal}})
    refusal = naming_refusal(by, department)
    if refusal:
        raise ActionRefused(refusal)
    errors = {}
    if deputy.pk == principal.pk:
        errors["deputy"] = _("A department head cannot name themselves as their deputy.")
    elif not deputy.is_active or deputy.department_id != department.pk:
        errors["deputy"] = _(
            "%(person)s is not an active member of %(department)s: the deputy comes from the head's own department."
        ) % {"person": deputy, "department": department}
    if starts_on < timezone.localdate():
        errors["starts_on"] = _("A delegation starts today or later.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The last day must be on or after the first day.")
    if errors:
        raise ValidationError(errors)
    # The head's row is locked, so two delegations named at once for one head cannot both pass the check below.
    User.objects.select_for_update().filter(pk=principal.pk).exists()
    clash = Delegation.objects.filter(principal=principal).overlapping(starts_on, ends_on).select_related("deputy")
    clash = clash.first()
    if clash is not None:
        raise ValidationError(
            {
                "starts_on": _(
                    "%(head)s already has a deputy (%(deputy)s) from %(start)s to %(end)s: "
                    "choose other days, or end that delegation first."
                )
                % {"head": principal, "deputy": clash.deputy, "start": clash.starts_on, "end": clash.ends_on}
            }
        )
    delegation = Delegation(
        department=department,
        principal=principal,
        deputy=deputy,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        created_by=by,
    )
    delegation.full_clean()
    delegation.save()
    _changed()
    delegation_sync(by=by)
    return delegation


@transaction.atomic
def delegation_end(*, delegation: Delegation, by) -> Delegation:
    """End ``delegation`` early (the head is back): the deputy's right goes at once."""
    delegation = Delegation.objects.select_for_update().select_related("department").get(pk=delegation.pk)
    refusal = delegation_end_refusal(by, delegation)
    if refusal:
        raise ActionRefused(refusal)
    delegation.ended_at, delegation.ended_by = timezone.now(), by
    delegation.save(update_fields=["ended_at", "ended_by"])
    _changed()
    delegation_sync(by=by)
    return delegation


def delegation_sync(*, today: date | None = None, by=None) -> tuple[int, int]:
    """Give the right to each deputy a live delegation covers today, take it from everyone else; idempotent.

    A deputy no longer active or no longer in the department gets no right. Returns (given, taken).
    """
    today = today or timezone.localdate()
    due = set(
        Delegation.objects.covering(today)
        .filter(deputy__is_active=True, deputy__department_id=F("department_id"))
        .values_list("deputy_id", "department_id")
    )
    held = {
        (row.user_id, int(row.object_pk))
        for row in UserObjectPermission.objects.filter(
            permission__codename=DELEGATION_PERMISSION, content_type=ContentType.objects.get_for_model(Department)
        )
    }
    to_give, to_take = due - held, held - due
    if not (to_give or to_take):
        return 0, 0
    pairs = to_give | to_take
    people = User.objects.in_bulk({user_id for user_id, _department in pairs})
    departments = Department.objects.in_bulk({department_id for _user, department_id in pairs})
    with transaction.atomic():
        for change, pairs_changed, step in (("granted", to_give, assign_perm), ("revoked", to_take, remove_perm)):
            for user_id, department_id in sorted(pairs_changed):
                deputy, department = people[user_id], departments[department_id]
                step(PERMISSION, deputy, department)
                audit.record(
                    audit.Kind.PERMISSION_CHANGE,
                    user=by,
                    what=f"{department}: {deputy}",
                    detail={"delegation": change, "deputy": deputy.get_username(), "department": department.code},
                )
    _changed()
    return len(to_give), len(to_take)
