"""The directory is the hospital's list of staff: the portal follows it, at each login and in the nightly sync.

New staff get an account; names, employee numbers and e-mail follow the directory; a changed department opens a
transfer and moves the person; an account disabled or gone from the directory opens a departure (离岗), so the
departure gate starts without anyone typing it. Roles follow the directory's role groups, under the portal's own
rules (003 (八)14, the 保密协议 of 000 保密制度 7): a role the rules refuse is reported, not given; a role is taken
back only when the directory gave it. The sync never deletes: history stays.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from portal import audit
from portal.exceptions import ActionRefused
from portal.roles import Role

from ..directory import DirectoryEntry, DirectoryUnavailable, connection, entries
from ..models import Department, Departure, RoleChange
from .departures import departure_open_from_directory
from .roles import _holding_refusal, _record

ACTOR_USERNAME = "directory-sync"


@dataclass
class SyncReport:
    dry_run: bool = False
    failure: str = ""
    seen: int = 0
    created: list = field(default_factory=list)
    changed: list = field(default_factory=list)  # (user, [what changed])
    departures: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def changes(self) -> int:
        return len(self.created) + len(self.changed) + len(self.departures)


def directory_actor():
    """The account the directory's changes are recorded under ("目录同步"): it holds no role and cannot sign in."""
    actor, created = get_user_model().objects.get_or_create(
        username=ACTOR_USERNAME, defaults={"full_name": _("Directory sync"), "is_active": False}
    )
    if created:
        actor.set_unusable_password()
        actor.save(update_fields=["password"])
    return actor


def directory_created(user) -> None:
    """A person's first directory login made their account: it has no password of its own in the portal."""
    user.set_unusable_password()


def directory_apply(user, entry: DirectoryEntry) -> tuple[list[str], list[str]]:
    """Bring ``user`` in line with their directory entry: what changed, and what the rules refused, in words."""
    actor = directory_actor()
    changes = []
    for name, value in (
        ("directory_dn", entry.dn),
        ("full_name", entry.full_name),
        ("employee_no", entry.employee_no or None),
        ("email", entry.email),
    ):
        if value and getattr(user, name) != value:
            setattr(user, name, value)
            if name != "directory_dn":
                changes.append(
                    _("%(field)s: %(value)s") % {"field": user._meta.get_field(name).verbose_name, "value": value}
                )
    user.save()
    changes += _apply_department(user, entry, actor)
    given, refused = _apply_roles(user, entry, actor)
    return changes + given, refused


def _apply_department(user, entry, actor) -> list[str]:
    if not entry.department_code:
        return []
    department = Department.objects.filter(code=entry.department_code, is_active=True).first()
    if department is None:
        return [_("unknown department %(code)s in the directory: left as it is") % {"code": entry.department_code}]
    if user.department_id == department.pk:
        return []
    if user.department_id is not None and not _open_departure(user):
        departure_open_from_directory(
            by=actor,
            user=user,
            kind=Departure.Kind.TRANSFER,
            to_department=department,
            reason=_("The directory moved %(user)s to %(department)s.") % {"user": user, "department": department},
        )
    user.department = department
    user.save(update_fields=["department"])
    return [_("department: %(department)s") % {"department": department}]


def _apply_roles(user, entry, actor) -> tuple[list[str], list[str]]:
    held = set(user.groups.values_list("name", flat=True))
    changes, refusals = [], []
    for role in sorted(entry.roles - held):
        refusal = _holding_refusal(user, role)
        try:
            if refusal:
                raise ActionRefused(refusal)
            _record(user, user, role, True, _("Member of the role's group in the directory."), actor)
        except ActionRefused as refused:
            refusals.append(
                _("role %(role)s not given: %(reason)s") % {"role": Role(role).label, "reason": refused.message}
            )
        else:
            changes.append(_("role %(role)s given") % {"role": Role(role).label})
    for role in sorted(held - entry.roles):
        last = RoleChange.objects.filter(user=user, role=role).order_by("-changed_at", "-pk").first()
        if last and last.changed_by_id == actor.pk and last.change == RoleChange.Change.GIVEN:
            _record(user, user, role, False, _("No longer in the role's group in the directory."), actor)
            changes.append(_("role %(role)s taken") % {"role": Role(role).label})
    return changes, refusals


def _open_departure(user) -> bool:
    return Departure.objects.filter(user=user, state=Departure.State.OPEN).exists()


def _depart(user, actor, reason, report) -> None:
    if not user.is_active or _open_departure(user) or user.department_id is None:
        return
    departure_open_from_directory(by=actor, user=user, kind=Departure.Kind.DEPARTURE, reason=reason)
    report.departures.append(user)


def directory_sync(*, dry_run=False) -> SyncReport:
    """Follow the directory; with ``dry_run`` the same work is done and rolled back, so the report is exact."""
    report = SyncReport(dry_run=dry_run)
    try:
        with connection() as conn:
            found = entries(conn)
    except DirectoryUnavailable as error:
        report.failure = str(error)
        audit.record(audit.Kind.DIRECTORY_UNAVAILABLE, what=_("Directory sync"), detail={"error": report.failure})
        return report
    report.seen = len(found)
    User = get_user_model()
    with transaction.atomic():
        actor = directory_actor()
        listed = set()
        for entry in found:
            user = User.objects.filter(Q(directory_dn__iexact=entry.dn) | Q(username__iexact=entry.username)).first()
            if user is None and entry.disabled:
                continue
            if user is None:
                user = User(username=entry.username.lower())
                directory_created(user)
                report.created.append(user)
            changes, refusals = directory_apply(user, entry)
            listed.add(user.pk)
            report.warnings += [f"{user}: {refusal}" for refusal in refusals]
            if not entry.employee_no:
                report.warnings.append(
                    _("%(user)s has no employee number in the directory and cannot sign in.") % {"user": user}
                )
            if changes and user not in report.created:
                report.changed.append((user, changes))
            if entry.disabled:
                _depart(user, actor, _("The account is disabled in the directory."), report)
        gone = User.objects.exclude(directory_dn="").exclude(pk__in=listed)
        for user in gone.select_related("department"):
            _depart(user, actor, _("The account is no longer in the directory."), report)
        _audit(report, actor)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _audit(report, actor) -> None:
    """Each account the sync made, changed or sent on its departure is a line of the security audit log."""
    for user in report.created:
        audit.record(audit.Kind.DIRECTORY_SYNC, user=actor, what=str(user), detail={"change": "created"})
    for user, changes in report.changed:
        audit.record(audit.Kind.DIRECTORY_SYNC, user=actor, what=str(user), detail={"changes": changes})
    for user in report.departures:
        audit.record(audit.Kind.DIRECTORY_SYNC, user=actor, what=str(user), detail={"change": "departure"})
