"""The second factor (django-otp): a TOTP authenticator app, with one-time recovery codes.

Whoever holds a role in ``OTP_REQUIRED_ROLES`` (and, while that list is not empty, the system administrator) enrols
before reaching any page; anyone who has enrolled confirms a code after their password at each login. A wrong code
counts towards the login lockout like a wrong password. The IT head resets a lost authenticator.
"""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import audit
from portal.exceptions import ActionRefused
from portal.roles import Role, has_role

RECOVERY_CODES = 10
ENROLLED_KEY = "second_factor_enrolled"
"""Whether the person had a second factor when they signed in: asked once per login, not on every page."""
EXEMPT_URLS = ("second_factor_verify", "second_factor_enrol", "logout", "set_language", "javascript-catalog")


def required_for(user) -> bool:
    """Whether ``user`` must use a second factor: a role of OTP_REQUIRED_ROLES, or the system administrator."""
    roles = settings.OTP_REQUIRED_ROLES
    return bool(roles) and (user.is_superuser or has_role(user, *roles))


def enrolled(user) -> bool:
    return user_has_device(user, confirmed=True)


@receiver(user_logged_in)
def _note_enrolment(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[ENROLLED_KEY] = enrolled(user)


def needs_code(request) -> bool:
    """Whether this session waits for a code: anyone enrolled (noted at sign-in), and the roles that must use one."""
    return bool(request.session.get(ENROLLED_KEY)) or (required_for(request.user) and enrolled(request.user))


def pending_device(user) -> TOTPDevice:
    """The authenticator being enrolled (shown as a QR code until a code from it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


@transaction.atomic
def enrol(request, token: str) -> list[str]:
    """Confirm the pending authenticator with a code from it; the recovery codes, shown once, are returned."""
    device = pending_device(request.user)
    if not device.verify_token(token.strip()):
        _count_failure(request)
        raise ActionRefused(_("The code does not match: enter the six digits the app shows now."))
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    recovery, _created = StaticDevice.objects.get_or_create(user=request.user, defaults={"name": _("Recovery codes")})
    recovery.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=code) for code in codes])
    otp_login(request, device)
    request.session[ENROLLED_KEY] = True
    audit.record(audit.Kind.SECOND_FACTOR_ENROL, user=request.user, what=str(request.user), request=request)
    return codes


def verify(request, token: str) -> None:
    """The code of this login: from the authenticator app, or one of the recovery codes (used up)."""
    device = match_token(request.user, token.strip())
    if device is None:
        _count_failure(request)
        raise ActionRefused(
            _("The code is wrong or has expired. Enter the code the app shows now, or a recovery code.")
        )
    otp_login(request, device)


def _count_failure(request):
    """A wrong code is a failed login for the lockout (django-axes); at the limit, the session ends."""
    user_login_failed.send(sender=__name__, credentials={"username": request.user.username}, request=request)
    if getattr(request, "axes_locked_out", False):
        logout(request)
        raise ActionRefused(_("Too many wrong codes: the account is locked for now."))


def reset_refusal(*, user, by) -> str | None:
    """Why ``by`` may not reset ``user``'s second factor, or ``None``: the same question draws the button."""
    if not has_role(by, Role.IT_HEAD):
        return _("Only the IT head resets a second factor.")
    if user.pk == by.pk:
        return _("No one resets their own second factor.")
    return None


@transaction.atomic
def reset(*, user, by) -> None:
    """The IT head removes a lost authenticator (and its recovery codes): the person enrols again at next login."""
    refusal = reset_refusal(user=user, by=by)
    if refusal:
        raise ActionRefused(refusal)
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    audit.record(audit.Kind.SECOND_FACTOR_RESET, user=by, what=str(user), detail={"subject": user.get_username()})


class SecondFactorMiddleware:
    """Until the second factor is confirmed, a signed-in user reaches only the pages that confirm or enrol it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_verified():
            target = (
                "second_factor_verify" if needs_code(request) else "second_factor_enrol" if required_for(user) else None
            )
            if target and not self._exempt(request):
                return redirect(f"accounts:{target}")
        return self.get_response(request)

    @staticmethod
    def _exempt(request):
        if request.path.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.url_name in EXEMPT_URLS
