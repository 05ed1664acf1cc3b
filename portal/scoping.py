"""Who sees which rows, declared: the querysets behind every ``visible_to(user)``.

Kept apart from ``portal.permissions`` (which imports Django's auth views), so that the user model's own
queryset can use it.
"""

from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string

from .roles import Role, has_role, is_confined


class ScopedQuerySet(models.QuerySet):
    """``visible_to(user)`` declared by four attributes:

    - ``read_all_roles`` see every row;
    - ``department_path`` (e.g. ``"department"`` or ``"user__department"``) gives the rows of the user's own
      department to ``department_roles`` (``None``: to anyone in a department);
    - ``own_paths`` (e.g. ``("applicant", "subject")``) give anyone the rows that name them;
    - ``deputies_see``: a department head's deputy (代理) sees the department's rows on the delegation's days,
      as the head does (the test is ``settings.PORTAL_ACTS_FOR_HEAD``, so core imports no app);
    - nobody sees anything else, and someone from outside the hospital (``portal.roles.CONFINED_ROLES``) sees
      nothing here at all: the few rows they may see are given by their own querysets.
    """

    read_all_roles: tuple[str, ...] = ()
    department_path: str | None = None
    department_roles: tuple[str, ...] | None = (Role.DEPT_HEAD,)
    own_paths: tuple[str, ...] = ()
    deputies_see = False

    def visible_to(self, user):
        if not user.is_authenticated or is_confined(user):
            return self.none()
        if has_role(user, *self.read_all_roles):
            return self
        scope = models.Q()
        for path in self.own_paths:
            scope |= models.Q(**{path: user.pk})
        if self.department_path and user.department_id and self._sees_department(user):
            scope |= models.Q(**{f"{self.department_path}_id": user.department_id})
        return self.filter(scope) if scope else self.none()

    def _sees_department(self, user):
        if self.department_roles is None or has_role(user, *self.department_roles):
            return True
        return self.deputies_see and import_string(settings.PORTAL_ACTS_FOR_HEAD)(user, user.department_id)


class DepartmentScopedQuerySet(ScopedQuerySet):
    """Rows that belong to a department: ``read_all_roles`` see every row, anyone else their own department's."""

    department_path = "department"
    department_roles = None
