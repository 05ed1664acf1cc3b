"""Log-in lockout (django-axes), fit for a hospital where everyone reaches the portal through one proxy.

A user name is locked at one address after LOGIN_FAILURE_LIMIT failures (AXES_LOCKOUT_PARAMETERS),
and from every address after LOGIN_USER_FAILURE_LIMIT failures; an address alone never locks anyone,
so one person's typing cannot lock out colleagues who share the address.
"""

from dataclasses import dataclass
from datetime import datetime

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class Lock:
    limit: int
    until: datetime


def _lock(attempts, limit: int) -> Lock | None:
    """The lock these attempts hold: it ends when the newest failures no longer reach the limit."""
    counted = 0
    for failures, at in attempts.order_by("-attempt_time").values_list("failures_since_start", "attempt_time"):
        counted += failures
        if counted >= limit:
            return Lock(limit=limit, until=at + settings.AXES_COOLOFF_TIME)
    return None


class LoginLockoutHandler(AxesDatabaseHandler):
    def locks(self, request, credentials=None) -> list[Lock]:
        (at_address,) = self.get_user_attempts(request, credentials)
        anywhere = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials), attempt_time__gte=get_cool_off_threshold(request)
        )
        locks = (_lock(at_address, settings.AXES_FAILURE_LIMIT), _lock(anywhere, settings.LOGIN_USER_FAILURE_LIMIT))
        return [lock for lock in locks if lock]

    def is_locked(self, request, credentials=None) -> bool:
        return bool(self.locks(request, credentials))

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        # axes itself only applies the per-address limit to the failure just recorded.
        if request is not None and not request.axes_locked_out and self.is_locked(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )


def current_lock(request, credentials=None) -> Lock:
    """The lock that lasts longest, for the lockout page."""
    locks = LoginLockoutHandler().locks(request, credentials)
    if not locks:  # unlocked between the refusal and this page
        return Lock(limit=settings.AXES_FAILURE_LIMIT, until=timezone.now())
    return max(locks, key=lambda lock: lock.until)
