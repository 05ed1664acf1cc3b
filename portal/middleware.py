"""Response headers of every page: what the browser may use, and what shared ward terminals may keep."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control

from .roles import CONFINED_ROLES, is_confined, user_roles

# Pages that read QR labels with the device camera (static/inventory/scan.js, static/repairs/scan.js).
CAMERA_PAGES = frozenset({"inventory:stocktake_scan", "repairs:ticket_create"})
PERMISSIONS = "geolocation=(), microphone=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """``Permissions-Policy`` on every response; ``Cache-Control: no-store`` once a user is logged in.

    A ward terminal is shared: the next person must not find a patient's or a colleague's page in its cache
    or behind the back button.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        camera = "camera=(self)" if match and match.view_name in CAMERA_PAGES else "camera=()"
        response.setdefault("Permissions-Policy", f"{camera}, {PERMISSIONS}")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class RefuseNulBytesMiddleware:
    """A NUL byte in a query-string or form name or value answers 400, before any view reads it.

    No person types one, no database column stores one (PostgreSQL refuses the whole query), and a view
    that reads ``request.GET`` or ``request.POST`` by hand need not check for it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for data in (request.GET, request.POST) if request.method == "POST" else (request.GET,):
            if any("\x00" in name or any("\x00" in value for value in values) for name, values in data.lists()):
                raise BadRequest("NUL byte in a request parameter")
        return self.get_response(request)


class ConfinedRoleMiddleware:
    """Someone from outside the hospital (``portal.roles.CONFINED_ROLES``) reaches only the pages
    ``settings.PORTAL_CONFINED_PAGES`` lists for their role: any other page is a 404, so not even its existence
    shows. The dashboard leads to the role's home page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not is_confined(user):
            return None
        view_name = request.resolver_match.view_name
        pages = confined_pages(user)
        if view_name == "portal:dashboard" and pages:
            return redirect(pages[0])
        if view_name not in pages:
            raise Http404
        return None


def confined_pages(user) -> list[str]:
    """The URL names a confined ``user`` may open, their home page first; ``[]`` for everyone else."""
    return [
        name
        for role in sorted(user_roles(user) & set(CONFINED_ROLES))
        for name in settings.PORTAL_CONFINED_PAGES.get(role, ())
    ]
