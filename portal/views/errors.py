"""The refusal pages: each refusal is recorded in the security audit log, then shown in the portal's words."""

from django.shortcuts import render
from django.views import defaults

from ..audit import Kind, record


def permission_denied(request, exception=None):
    """handler403: who was refused what (the path), then Django's 403 page (templates/403.html)."""
    reason = str(exception or "")
    record(Kind.FORBIDDEN, what=request.path, request=request, detail={"reason": reason} if reason else {})
    return defaults.permission_denied(request, exception)


def csrf_failure(request, reason=""):
    """A form that expired says so in the portal's words, not Django's English page."""
    record(Kind.FORBIDDEN, what=request.path, request=request, detail={"reason": "csrf", "csrf": reason})
    return render(request, "403_csrf.html", status=403)
