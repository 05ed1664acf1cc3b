"""Permission helpers: login, role (403) and per-user querysets (404).

Scoping fails closed: every model a portal view serves has a QuerySet with ``visible_to(user)``, and a
view over one without it raises ``ImproperlyConfigured`` instead of serving every row. The shared
querysets below say declaratively who sees what; an app names its roles and its paths only.
"""

from urllib.parse import urlsplit

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.urls import resolve

from .roles import Role, has_role


class RoleRequiredMixin(LoginRequiredMixin):
    """Anonymous users go to the login page; a logged-in user without one of ``allowed_roles`` gets 403."""

    allowed_roles: tuple[str, ...] = ()

    @classmethod
    def permits(cls, user) -> bool:
        """Whether ``user`` may open this page: the question ``dispatch`` asks, and links ask through ``may_open``."""
        return not cls.allowed_roles or has_role(user, *cls.allowed_roles)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.permits(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def may_open(user, url) -> bool:
    """Whether the page at ``url`` (a path, query string allowed) lets ``user`` in, as its own view decides."""
    view_class = getattr(resolve(urlsplit(str(url)).path).func, "view_class", None)
    permits = getattr(view_class, "permits", None)
    return user.is_authenticated and (permits is None or permits(user))


def visible(queryset, user):
    """``queryset.visible_to(user)``, refusing a queryset that cannot say what the user may see."""
    if not hasattr(queryset, "visible_to"):
        raise ImproperlyConfigured(
            f"{queryset.model.__name__} has no visible_to(user) on its QuerySet; a portal view serves no unscoped rows."
        )
    return queryset.visible_to(user)


class VisibleQuerysetMixin:
    """Narrow the queryset to what this user may see, so anything else is a 404 (fails closed, see above)."""

    def get_queryset(self):
        return visible(super().get_queryset(), self.request.user)


class ScopedQuerySet(models.QuerySet):
    """``visible_to(user)`` declared by four attributes:

    - ``read_all_roles`` see every row;
    - ``department_path`` (e.g. ``"department"`` or ``"user__department"``) gives the rows of the user's own
      department to ``department_roles`` (``None``: to anyone in a department);
    - ``own_paths`` (e.g. ``("applicant", "subject")``) give anyone the rows that name them;
    - nobody sees anything else.
    """

    read_all_roles: tuple[str, ...] = ()
    department_path: str | None = None
    department_roles: tuple[str, ...] | None = (Role.DEPT_HEAD,)
    own_paths: tuple[str, ...] = ()

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if has_role(user, *self.read_all_roles):
            return self
        scope = models.Q()
        for path in self.own_paths:
            scope |= models.Q(**{path: user.pk})
        if (
            self.department_path
            and user.department_id
            and (self.department_roles is None or has_role(user, *self.department_roles))
        ):
            scope |= models.Q(**{f"{self.department_path}_id": user.department_id})
        return self.filter(scope) if scope else self.none()


class DepartmentScopedQuerySet(ScopedQuerySet):
    """Rows that belong to a department: ``read_all_roles`` see every row, anyone else their own department's."""

    department_path = "department"
    department_roles = None
