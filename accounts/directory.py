"""The hospital's directory (LDAP / Active Directory): reading who works here, and logging in with it.

Off unless ``LDAP_SERVER_URI`` is set. What the portal reads of one person is a :class:`DirectoryEntry`: the same
reading serves a login (``DirectoryBackend``) and the nightly sync (``accounts.services.directory``), so both map
names, employee numbers, departments and roles alike. Nothing here writes to the directory.
"""

from contextlib import contextmanager
from dataclasses import dataclass

import ldap
from django.conf import settings
from django_auth_ldap.backend import LDAPBackend, ldap_error
from django_auth_ldap.config import LDAPSearch
from ldap.filter import escape_filter_chars

from portal import audit
from portal.roles import Role


class DirectoryUnavailable(Exception):
    """The directory could not be reached or refused the portal's bind."""


@dataclass(frozen=True)
class DirectoryEntry:
    dn: str
    username: str
    full_name: str
    employee_no: str
    email: str
    department_code: str
    roles: frozenset
    disabled: bool


def enabled() -> bool:
    return bool(settings.AUTH_LDAP_SERVER_URI)


def connection_options() -> dict:
    return {
        ldap.OPT_NETWORK_TIMEOUT: settings.LDAP_TIMEOUT_SECONDS,
        ldap.OPT_TIMEOUT: settings.LDAP_TIMEOUT_SECONDS,
        ldap.OPT_REFERRALS: 0,
        ldap.OPT_PROTOCOL_VERSION: 3,
    }


@contextmanager
def connection():
    """A connection bound as the portal's service account; :class:`DirectoryUnavailable` when that fails."""
    try:
        conn = ldap.initialize(settings.AUTH_LDAP_SERVER_URI)
        for option, value in connection_options().items():
            conn.set_option(option, value)
        if settings.AUTH_LDAP_START_TLS:
            conn.start_tls_s()
        conn.simple_bind_s(settings.AUTH_LDAP_BIND_DN, settings.AUTH_LDAP_BIND_PASSWORD)
    except ldap.LDAPError as error:
        raise DirectoryUnavailable(_describe(error)) from error
    try:
        yield conn
    except ldap.LDAPError as error:
        raise DirectoryUnavailable(_describe(error)) from error
    finally:
        conn.unbind_s()


def _describe(error) -> str:
    detail = error.args[0] if error.args and isinstance(error.args[0], dict) else {}
    return str(detail.get("desc") or error)


def entries(conn, username: str | None = None) -> list[DirectoryEntry]:
    """Everyone the directory lists as staff (or the one with ``username``), with their roles and whether disabled."""
    wanted = settings.LDAP_USER_FILTER
    if username is not None:
        wanted = f"(&{wanted}({settings.LDAP_USERNAME_ATTR}={escape_filter_chars(username)}))"
    attributes = [
        settings.LDAP_USERNAME_ATTR,
        settings.LDAP_NAME_ATTR,
        settings.LDAP_EMPLOYEE_NO_ATTR,
        settings.LDAP_EMAIL_ATTR,
        settings.LDAP_DEPARTMENT_ATTR,
    ]
    found = _search(conn, wanted, attributes)
    disabled = {dn.lower() for dn, _attrs in _search(conn, f"(&{wanted}{settings.LDAP_DISABLED_FILTER})", ["1.1"])}
    members = _role_members(conn)
    return [
        DirectoryEntry(
            dn=dn,
            username=_first(attrs, settings.LDAP_USERNAME_ATTR),
            full_name=_first(attrs, settings.LDAP_NAME_ATTR),
            employee_no=_first(attrs, settings.LDAP_EMPLOYEE_NO_ATTR),
            email=_first(attrs, settings.LDAP_EMAIL_ATTR),
            department_code=_first(attrs, settings.LDAP_DEPARTMENT_ATTR),
            roles=frozenset(role for role, dns in members.items() if dn.lower() in dns),
            disabled=dn.lower() in disabled,
        )
        for dn, attrs in found
        if _first(attrs, settings.LDAP_USERNAME_ATTR)
    ]


def _search(conn, filterstr, attributes):
    results = conn.search_s(settings.LDAP_USER_BASE, ldap.SCOPE_SUBTREE, filterstr, attributes)
    return [(dn, attrs) for dn, attrs in results if dn]  # Active Directory adds referrals with no DN


def _role_members(conn) -> dict[str, set[str]]:
    """Each role's group members (lower-cased DNs); a role whose group is not in the directory has none."""
    members = {}
    for role in Role:
        try:
            result = conn.search_s(
                settings.LDAP_ROLE_GROUP_DN.format(role=role.value), ldap.SCOPE_BASE, attrlist=["member"]
            )
        except ldap.NO_SUCH_OBJECT:
            continue
        members[role.value] = {value.decode().lower() for _dn, attrs in result for value in attrs.get("member", [])}
    return members


def _first(attrs, name: str) -> str:
    values = attrs.get(name) or [b""]
    return values[0].decode().strip()


class DirectoryBackend(LDAPBackend):
    """django-auth-ldap checks the password against the directory; the portal maps the entry like the sync does.

    A disabled entry does not sign in; one with no employee number is refused by ``LoginForm`` (000 保密制度 6).
    """

    @property
    def default_settings(self):
        search = f"(&{settings.LDAP_USER_FILTER}({settings.LDAP_USERNAME_ATTR}=%(user)s))"
        return {
            "USER_SEARCH": LDAPSearch(settings.LDAP_USER_BASE, ldap.SCOPE_SUBTREE, search),
            "CONNECTION_OPTIONS": connection_options(),
        }

    def authenticate(self, request, username=None, password=None, **kwargs):
        self.request = request
        return super().authenticate(request, username=username, password=password, **kwargs)

    def authenticate_ldap_user(self, ldap_user, password):
        from .services.directory import directory_apply, directory_created

        user = super().authenticate_ldap_user(ldap_user, password)
        if user is None:
            return None
        try:
            with connection() as conn:
                found = entries(conn, username=user.username)
        except DirectoryUnavailable as error:
            ldap_error.send(type(self), context="authenticate", user=user, request=self.request, exception=error)
            return None
        if not found or found[0].disabled:
            return None
        if not user.directory_dn:
            directory_created(user)
        directory_apply(user, found[0])  # a role the rules refuse is not given; the sync reports it
        return user  # with no employee number, LoginForm refuses it (000 保密制度 6)


def _note_unavailable(sender, context, user, request, exception, **kwargs):
    """A directory login that failed because the directory is down says so (``LoginForm``)."""
    if request is not None:
        request.directory_unavailable = True
    audit.record(
        audit.Kind.DIRECTORY_UNAVAILABLE,
        username=getattr(user, "username", "") or (request.POST.get("username", "") if request is not None else ""),
        request=request,
        detail={"error": str(exception), "context": context},
    )


ldap_error.connect(_note_unavailable)
