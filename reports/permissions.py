"""Who reads and who generates statistical reports."""

from portal.roles import Role, has_role

READER_ROLES = (Role.LEADER, Role.IT_HEAD, Role.AUDITOR)
"""Read every department's reports and the whole hospital's."""
GENERATOR_ROLES = (Role.LEADER, Role.IT_HEAD)


def is_department_only(user) -> bool:
    """A department head who is not also a hospital-wide reader sees only their own department."""
    return has_role(user, Role.DEPT_HEAD) and not has_role(user, *READER_ROLES)


def may_read(user, obj=None) -> bool:
    """The report pages: hospital-wide readers, and department heads who belong to a department."""
    if not has_role(user, *READER_ROLES, Role.DEPT_HEAD):
        return False
    return not (is_department_only(user) and not user.department_id)


def may_generate(user, obj=None) -> bool:
    return has_role(user, *GENERATOR_ROLES, Role.DEPT_HEAD)
