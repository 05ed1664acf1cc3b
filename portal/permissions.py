"""Permission helpers: login, role (403) and per-user querysets (404)."""

from urllib.parse import urlsplit

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import resolve

from .roles import has_role


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


class VisibleQuerysetMixin:
    """Narrow the queryset to what this user may see, so anything else is a 404.

    Models opt in with a QuerySet method ``visible_to(user)``.
    """

    def get_queryset(self):
        queryset = super().get_queryset()
        if hasattr(queryset, "visible_to"):
            queryset = queryset.visible_to(self.request.user)
        return queryset


class DepartmentScopedQuerySet(models.QuerySet):
    """Rows that belong to a department: ``read_all_roles`` see every row, anyone else their own department's."""

    read_all_roles: tuple[str, ...] = ()

    def visible_to(self, user):
        if has_role(user, *self.read_all_roles):
            return self
        if user.is_authenticated and user.department_id:
            return self.filter(department_id=user.department_id)
        return self.none()
