"""The security audit log (等保 2.0 安全审计): one ``record()`` for every security-relevant event.

Logins, failed logins, lockouts, logouts and session timeouts, refusals (403), every download of a PDF, an
attachment or an export, role, permission and admin changes are recorded here by the portal itself; the
directory sync and the second factor call ``record(Kind.DIRECTORY_SYNC, ...)`` / ``record(Kind.SECOND_FACTOR_ENROL,
...)`` when they come. Each event is also sent to the ``portal.audit`` logger, which forwards it to syslog when
``AUDIT_SYSLOG_ADDRESS`` is set (portal/syslog.py). Events are kept ``AUDIT_RETENTION_DAYS`` (at least 180).
"""

import json
import logging
from contextvars import ContextVar
from datetime import timedelta
from ipaddress import ip_address

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core import checks
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from .client_ip import client_ip
from .models import SecurityEvent

Kind = SecurityEvent.Kind
MINIMUM_RETENTION_DAYS = 180
"""等保 2.0 (GB/T 22239-2019 8.1.4.3): audit records are kept at least six months."""

logger = logging.getLogger("portal.audit")
_current_request = ContextVar("portal_audit_request", default=None)


def record(kind, *, user=None, username="", what="", detail=None, request=None) -> SecurityEvent:
    """Append one event: ``record(Kind.SECOND_FACTOR_RESET, user=person, what=str(device))``.

    ``request`` defaults to the request being served (its user, address, browser and path are taken from it);
    ``username`` is for a name with no user behind it (a failed login's).
    """
    request = request if request is not None else _current_request.get()
    acting = getattr(request, "user", None)
    if user is None and acting is not None and acting.is_authenticated:
        user = acting
    meta = request.META if request is not None else {}
    event = SecurityEvent.objects.record(
        SecurityEvent(
            at=timezone.now(),
            kind=kind,
            user=user,
            username=(user.get_username() if user is not None else username or "")[:150],
            ip=_address(request),
            user_agent=meta.get("HTTP_USER_AGENT", "")[:300],
            path=request.get_full_path()[:500] if request is not None else "",
            what=str(what)[:500],
            detail=detail or {},
        )
    )
    transaction.on_commit(lambda: _forward(event))
    return event


def record_download(what, *, kind=Kind.DOWNLOAD, **detail) -> SecurityEvent:
    """One download (a PDF, an attachment, an export) by whoever the current request is from."""
    return record(kind, what=what, detail=detail)


def _address(request):
    address = client_ip(request) if request is not None else None
    try:
        return str(ip_address(address)) if address else None
    except ValueError:
        return None


def _forward(event):
    message = {
        "at": event.at.isoformat(),
        "kind": event.kind,
        "user": event.username,
        "ip": event.ip,
        "user_agent": event.user_agent,
        "path": event.path,
        "what": event.what,
        "detail": event.detail,
    }
    logger.info(json.dumps(message, ensure_ascii=False, default=str), extra={"msgid": event.kind})


def retention_days() -> int:
    return max(settings.AUDIT_RETENTION_DAYS, MINIMUM_RETENTION_DAYS)


def security_events_purge(*, now=None) -> int:
    """Delete the events older than the retention period, and only those; the one way an event leaves the log."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    return SecurityEvent.objects.purge(before=cutoff)


@checks.register(checks.Tags.security)
def check_retention(app_configs=None, **kwargs):
    if settings.AUDIT_RETENTION_DAYS >= MINIMUM_RETENTION_DAYS:
        return []
    return [
        checks.Warning(
            f"AUDIT_RETENTION_DAYS={settings.AUDIT_RETENTION_DAYS} is below the {MINIMUM_RETENTION_DAYS} days 等保 2.0 "
            f"requires; the security audit log is kept {MINIMUM_RETENTION_DAYS} days.",
            id="portal.W001",
        )
    ]


class SecurityAuditMiddleware:
    """Makes the request known to ``record()`` and records a session that timed out (after AuthenticationMiddleware).

    A request that comes with the cookie of a session that expired while its user was logged in is the first
    sign of the timeout: it is recorded once (the expired session is removed as it is), for database sessions.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            self._note_timeout(request)
            return self.get_response(request)
        finally:
            _current_request.reset(token)

    def _note_timeout(self, request):
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        store = getattr(request, "session", None)
        if not key or store is None or not hasattr(store, "get_model_class") or request.user.is_authenticated:
            return
        sessions = store.get_model_class().objects.filter(session_key=key, expire_date__lte=timezone.now())
        expired = sessions.first()
        if expired is None:
            return
        user_id = store.decode(expired.session_data).get(SESSION_KEY)
        if sessions.delete()[0] and user_id:
            user = get_user_model()._default_manager.filter(pk=user_id).first()
            record(Kind.SESSION_TIMEOUT, user=user, detail={"expired_at": expired.expire_date.isoformat()})


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(Kind.LOGIN, user=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    locked = bool(getattr(request, "axes_locked_out", False))
    record(Kind.LOGIN_FAILED, username=credentials.get("username", ""), request=request, detail={"locked": locked})


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    record(Kind.LOCKOUT, username=username or "", request=request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(Kind.LOGOUT, user=user, request=request)


ADMIN_ACTIONS = {1: "add", 2: "change", 3: "delete"}


@receiver(post_save, sender=LogEntry)
def _admin_changed(sender, instance, created, **kwargs):
    if created:
        record(
            Kind.ADMIN_CHANGE,
            user=instance.user,
            what=f"{instance.content_type.app_label}.{instance.content_type.model}: {instance.object_repr}"
            if instance.content_type_id
            else instance.object_repr,
            detail={
                "action": ADMIN_ACTIONS.get(instance.action_flag, instance.action_flag),
                "object_id": instance.object_id,
                "change": instance.get_change_message(),
            },
        )
