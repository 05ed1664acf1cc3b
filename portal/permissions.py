"""Permission helpers: login, role (403) and per-user querysets (404).

Scoping fails closed: every model a portal view serves has a QuerySet with ``visible_to(user)``, and a
view over one without it raises ``ImproperlyConfigured`` instead of serving every row. The shared
querysets in ``portal/scoping.py`` say declaratively who sees what; an app names its roles and its paths only.
"""

from urllib.parse import urlsplit

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.urls import resolve

from .middleware import confined_pages
from .roles import has_role, is_confined


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
    """Whether the page at ``url`` (a path, query string allowed) lets ``user`` in, as its own view decides
    (and, for someone from outside the hospital, as ``portal.middleware.ConfinedRoleMiddleware`` does)."""
    match = resolve(urlsplit(str(url)).path)
    if is_confined(user) and match.view_name not in confined_pages(user):
        return False
    permits = getattr(getattr(match.func, "view_class", None), "permits", None)
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
