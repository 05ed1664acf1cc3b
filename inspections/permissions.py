"""Who may do what in machine-room inspections: the app's role sets and its ``may_<verb>`` predicates.

Views, services, forms and templates (``{% may "inspections.record" %}``) ask these, never a role list of their own.
"""

from portal.roles import IT_ROLES, OVERSIGHT_ROLES, Role, has_role

READERS = (*IT_ROLES, Role.DBA, *OVERSIGHT_ROLES)
"""IT, the DBA (who runs the machine room day to day, 000 系统及数据库管理员职责 7), leaders and the auditor read
every page of this app; nobody else sees any of it."""
RECORDERS = IT_ROLES
"""Who records rounds, corrections, closures and visits, and who may escort a visitor."""
MACHINE_ROOM_LEAD = (Role.IT_HEAD,)
"""The machine-room lead edits rooms' limits and the templates, approves visits and hears of every abnormality."""
REMINDED = (Role.IT_OFFICER,)
"""Who is reminded of a machine room not yet inspected in the morning."""


def may_read(user, obj=None) -> bool:
    return has_role(user, *READERS)


ROOM_RECORDING = "inspections.record_rounds"
"""The object permission the IT head gives an officer on the machine rooms they look after (django-guardian)."""


def assigned_rooms(user):
    """The machine rooms ``user`` is assigned to; an officer assigned to none looks after every room."""
    from guardian.shortcuts import get_objects_for_user

    return get_objects_for_user(user, ROOM_RECORDING, accept_global_perms=False, with_superuser=False)


def may_record(user, obj=None) -> bool:
    """Record rounds, corrections and closures: IT, in the rooms assigned to them (every room when none is)."""
    if not has_role(user, *RECORDERS):
        return False
    room = obj if obj is not None and obj._meta.model_name == "machineroom" else getattr(obj, "room", None)
    if room is None:
        return True
    assigned = assigned_rooms(user)
    return not assigned.exists() or assigned.filter(pk=room.pk).exists()


def may_edit(user, obj=None) -> bool:
    return has_role(user, *MACHINE_ROOM_LEAD)


def may_assign_rooms(user, obj=None) -> bool:
    """The IT head (the machine-room lead) assigns officers to rooms."""
    return has_role(user, *MACHINE_ROOM_LEAD)


def may_fill(user, inspection=None) -> bool:
    """Enter findings: a round still being filled in."""
    return may_record(user, inspection) and (inspection is None or not inspection.is_submitted)


def may_correct(user, inspection=None) -> bool:
    """Record a correction: a submitted round."""
    return may_record(user, inspection) and (inspection is None or inspection.is_submitted)


def may_close(user, result=None) -> bool:
    """Close an abnormal finding that is still open."""
    return may_record(user) and (result is None or result.closed_at is None)


def may_approve(user, visit=None) -> bool:
    """Approve or reject machine-room visits."""
    return has_role(user, *MACHINE_ROOM_LEAD)
