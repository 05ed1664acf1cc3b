"""A login whose password is too old changes it before it opens any other page (001 一(四)5)."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext

# Reachable with an expired password: the change itself, signing out, and switching the language.
EXEMPT_URL_NAMES = ("password_change", "logout", "set_language")
WARNING_DAYS = 7
WARNED_SESSION_KEY = "password_expiry_warned"


class PasswordExpiryMiddleware:
    """Sends a logged-in user whose password is older than ``PASSWORD_MAX_AGE_DAYS`` to the password-change page.

    Logins without a local password (directory logins) are exempt; the system administrator is not. In the
    last ``WARNING_DAYS`` days before expiry, the first page of a session says when the password expires.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.password_expires_at is not None and not exempt(request.path):
            if user.password_expired():
                messages.warning(request, expired_message())
                return redirect("password_change")
            if user.password_expires_at - timezone.now() <= timedelta(days=WARNING_DAYS):
                warn_once(request, user.password_expires_at)
        return self.get_response(request)


def exempt(path):
    return path.startswith(settings.STATIC_URL) or path in {reverse(name) for name in EXEMPT_URL_NAMES}


def expired_message():
    return gettext("Your password has not been changed for more than %(days)d days: change it first (001 一(四)5).") % {
        "days": settings.PASSWORD_MAX_AGE_DAYS
    }


def warn_once(request, expires_at):
    if request.session.get(WARNED_SESSION_KEY):
        return
    request.session[WARNED_SESSION_KEY] = True
    when = formats.date_format(timezone.localtime(expires_at), "Y-m-d H:i")
    messages.warning(request, gettext("Your password expires on %(when)s: change it before then.") % {"when": when})
