from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.dashboard import Awaiting
from portal.models import Notification
from portal.roles import IT_ROLES, Role, has_role

from .models import (
    AccessScheme,
    Departure,
    Grant,
    NetworkRequest,
    PermissionRequest,
    PrivilegedAccount,
    RecertificationItem,
    SensitiveQueryLog,
    SensitiveQueryRequest,
)
from .models.sensitive import COMPLIANT
from .permissions import PROVISIONERS, RECERTIFIERS


def awaiting(user):
    """Foundation's contribution to the dashboard: unread notifications; then access governance, one query per line."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return [
        Awaiting(label=_("Unread notifications"), count=unread, url=reverse("portal:notifications"))
    ] + access_awaiting(user)


def access_awaiting(user):
    items = []
    requests_url = reverse("accounts:request_list")
    if has_role(user, Role.DEPT_HEAD) and user.department_id:
        mine = PermissionRequest.objects.filter(
            state=PermissionRequest.State.SUBMITTED, department_id=user.department_id
        )
        count = mine.exclude(Q(applicant=user) | Q(subject=user)).count()
        items.append(Awaiting(_("Permission requests to approve"), count, f"{requests_url}?state=submitted"))
        count = (
            SensitiveQueryRequest.objects.filter(
                state=SensitiveQueryRequest.State.SUBMITTED, department_id=user.department_id
            )
            .exclude(applicant=user)
            .count()
        )
        items.append(
            Awaiting(
                _("Sensitive queries to approve"),
                count,
                reverse("accounts:sensitive_request_list") + "?state=submitted",
            )
        )
    if has_role(user, *RECERTIFIERS):
        pending = RecertificationItem.objects.filter(
            reviewer=user, decision=RecertificationItem.Decision.PENDING
        ).aggregate(total=Count("pk"), late=Count("pk", filter=Q(campaign__due_on__lt=timezone.localdate())))
        items.append(
            Awaiting(
                _("Grants to recertify"),
                pending["total"],
                reverse("accounts:recertification_list"),
                urgent=bool(pending["late"]),
            )
        )
    if has_role(user, Role.IT_HEAD):
        count = (
            PermissionRequest.objects.filter(state=PermissionRequest.State.DEPT_APPROVED)
            .exclude(applicant=user)
            .count()
        )
        items.append(Awaiting(_("Tier 1/2 requests for the IT head"), count, f"{requests_url}?state=dept_approved"))
    if has_role(user, *PROVISIONERS):
        count = PermissionRequest.objects.filter(state=PermissionRequest.State.APPROVED).count()
        items.append(Awaiting(_("Requests to provision"), count, f"{requests_url}?state=approved"))
    if has_role(user, *IT_ROLES):
        count = Grant.objects.filter(state=Grant.State.REVOCATION_DUE).count()
        items.append(
            Awaiting(
                _("Grants to revoke"), count, reverse("accounts:grant_list") + "?state=revocation_due", urgent=True
            )
        )
        count = NetworkRequest.objects.filter(state=NetworkRequest.State.APPROVED).count()
        items.append(
            Awaiting(
                _("Internet access to set up"), count, reverse("accounts:network_request_list") + "?state=approved"
            )
        )
    if has_role(user, *IT_ROLES, Role.HR):
        count = Departure.objects.filter(state=Departure.State.OPEN).count()
        items.append(
            Awaiting(_("Open departures and transfers"), count, reverse("accounts:departure_list") + "?state=open")
        )
    if has_role(user, Role.LEADER):
        count = AccessScheme.objects.filter(state=AccessScheme.State.PROPOSED).exclude(proposed_by=user).count()
        items.append(
            Awaiting(_("Access schemes to approve"), count, reverse("accounts:scheme_list") + "?state=proposed")
        )
        count = NetworkRequest.objects.filter(state=NetworkRequest.State.SUBMITTED).exclude(applicant=user).count()
        items.append(
            Awaiting(
                _("External network requests to approve"),
                count,
                reverse("accounts:network_request_list") + "?state=submitted",
            )
        )
    if has_role(user, Role.AUDITOR):
        count = SensitiveQueryRequest.objects.filter(state=SensitiveQueryRequest.State.APPROVED).count()
        items.append(
            Awaiting(
                _("Sensitive query approvals to file"),
                count,
                reverse("accounts:sensitive_request_list") + "?state=approved",
            )
        )
        log = SensitiveQueryLog.objects.filter(reviewed_at__isnull=True).aggregate(
            total=Count("pk"),
            unapproved=Count("pk", filter=~COMPLIANT),
        )
        items.append(
            Awaiting(
                _("Query log entries to review"),
                log["total"],
                reverse("accounts:sensitive_query_log") + "?show=unreviewed",
                urgent=bool(log["unapproved"]),
            )
        )
    if has_role(user, Role.IT_HEAD, Role.DBA, Role.IT_OFFICER):
        overdue = PrivilegedAccount.objects.rotation_overdue()
        if not has_role(user, Role.IT_HEAD):
            overdue = overdue.filter(custodians=user)
        items.append(
            Awaiting(
                _("Password changes overdue"),
                overdue.count(),
                reverse("accounts:privileged_account_list") + "?overdue=true",
                urgent=True,
            )
        )
    return items


def user_holdings(user):
    """What a user holds now: grants, internet access and privileged-account custody (three queries)."""
    return {
        "grants": Grant.objects.held().filter(user=user).select_related("system").prefetch_related("modules"),
        "network_grants": NetworkRequest.objects.filter(
            applicant=user, state=NetworkRequest.State.ACTIVE
        ).select_related("computer"),
        "custody": PrivilegedAccount.objects.filter(custodians=user, is_active=True),
    }


def object_permissions(user):
    """The rights on single objects the portal's services gave ``user`` (django-guardian): what, and on which object."""
    from guardian.models import UserObjectPermission

    rows = UserObjectPermission.objects.filter(user=user).select_related("permission", "content_type")
    # A permission's name is stored as declared (English); the catalogue has it in the reader's language.
    return [(_(row.permission.name), row.content_object) for row in rows.order_by("content_type", "object_pk")]
