"""Permission requests and the grants they give: filing, the steps of the request, revocation tasks."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import audit
from portal.exceptions import ActionRefused
from portal.models import TransitionLog
from portal.notifications import notify, notify_roles, users_with_role
from portal.numbering import next_number
from portal.roles import Role, has_role
from portal.validation import validated
from portal.workflow import perform

from ..models import Grant, PermissionRequest, request_scope_refusal
from .common import heads_of


def permission_request_submit(*, by, subject, kind, system, modules, reason, ends_on=None):
    """File 《信息系统用户权限新增更改注销申请表》 for oneself or, as department head, for a member of staff.

    A department head filing for their own staff has signed the form as head: the request starts at the next step.
    """
    if subject != by and not (has_role(by, Role.DEPT_HEAD) and subject.department_id == by.department_id):
        raise ActionRefused(_("Only a department head may file a request for a member of their own department."))
    if subject.department_id is None:
        raise ActionRefused(_("The user has no department, so no department head can sign the request."))
    held = Grant.objects.held().filter(user=subject, system=system).first()
    if kind == PermissionRequest.Kind.ADD and held:
        raise ActionRefused(
            _("%(user)s already holds access to %(system)s; file a change request instead.")
            % {"user": subject, "system": system.name}
        )
    if kind != PermissionRequest.Kind.ADD and not held:
        raise ActionRefused(
            _("%(user)s holds no access to %(system)s to change or revoke.") % {"user": subject, "system": system.name}
        )
    foreign = [module for module in modules if module.system_id != system.pk]
    if foreign:
        raise ActionRefused(
            _("These modules do not belong to %(system)s: %(modules)s.")
            % {"system": system.name, "modules": "、".join(m.name for m in foreign)}
        )
    # 001 一(三)8: access is asked for within the scheme the leading group approved; revoking is always possible.
    outside_scheme = kind != PermissionRequest.Kind.REVOKE and request_scope_refusal(system, modules)
    if outside_scheme:
        raise ActionRefused(outside_scheme)
    signs_as_head = subject != by and has_role(by, Role.DEPT_HEAD)
    fields = {
        "kind": kind,
        "applicant": by,
        "subject": subject,
        "department": subject.department,
        "system": system,
        "reason": reason,
        "ends_on": ends_on,
        "grant": held,
    }
    if signs_as_head:
        next_state = PermissionRequest.State.DEPT_APPROVED if system.needs_it_head else PermissionRequest.State.APPROVED
        fields.update(state=next_state, dept_approver=by, dept_approved_at=timezone.now())
    with transaction.atomic():
        request = PermissionRequest(number=next_number("QX"), **fields)
        validated(request)
        request.save()
        request.modules.set(modules)
        if signs_as_head:
            TransitionLog.objects.record(
                TransitionLog(
                    content_type=ContentType.objects.get_for_model(PermissionRequest),
                    object_id=request.pk,
                    action="approve",
                    from_state=PermissionRequest.State.SUBMITTED,
                    to_state=request.state,
                    actor=by,
                    comment=_("Signed by the department head when filing for a member of staff."),
                )
            )
    notify_next_handlers(request)
    return request


def permission_request_act(*, request, action, by, comment="", **arguments):
    """The one entry point for a step of the request flow; its effects (grant, notices) are in ``effects``."""
    adds = action == "provision" and request.kind == PermissionRequest.Kind.ADD
    if adds and not (arguments.get("account_name") or request.account_name):
        raise ActionRefused(_("Record the account name created in the system."))
    return perform(request, action, by=by, comment=comment, **arguments)


def notify_next_handlers(request):
    """Tell whoever handles the request's next step, or the applicant and the user once it is decided."""
    if request.state == PermissionRequest.State.SUBMITTED:
        recipients = heads_of(request.department)
    elif request.state == PermissionRequest.State.DEPT_APPROVED:
        recipients = users_with_role(Role.IT_HEAD)
    elif request.state == PermissionRequest.State.APPROVED:
        recipients = users_with_role(Role.IT_OFFICER)
    else:
        recipients = [request.applicant, request.subject]
    notify(
        recipients,
        title=gettext_lazy("Permission request %(number)s: %(state)s"),
        params={"number": request.number, "state": PermissionRequest.State(request.state).label},
        body=str(request),
        url=request.get_absolute_url(),
    )


def grant_mark_revocation_due(*, grant, reason, comment=""):
    """Raise a revocation task for IT (an expired, departed or unconfirmed grant)."""
    if grant.state != Grant.State.ACTIVE:
        return grant
    return perform(grant, "mark_revocation_due", by=None, comment=comment, reason=reason)


def grant_revoke(*, grant, by, comment="", reason=""):
    """The one entry point for revoking a grant (on its own, a departure line or a revocation request)."""
    grant = perform(grant, "revoke", by=by, comment=comment, reason=reason)
    grant_audit(grant, "revoked", by=by, reason=reason, comment=comment)
    return grant


def grant_audit(grant, change, *, by, **detail):
    """A permission change (a grant given, changed or revoked) in the security audit log."""
    audit.record(
        audit.Kind.PERMISSION_CHANGE,
        user=by,
        what=f"{grant.user.get_username()} @ {grant.system.code}",
        detail={"grant": grant.pk, "change": change, "account": grant.account_name, **detail},
    )


def grants_expire(*, today: date | None = None) -> int:
    """Time-bound grants whose end date has passed become revocation tasks for IT (once each)."""
    today = today or timezone.localdate()
    expired = list(Grant.objects.filter(state=Grant.State.ACTIVE, ends_on__lt=today).select_related("system", "user"))
    for grant in expired:
        grant_mark_revocation_due(
            grant=grant,
            reason=Grant.RevocationReason.EXPIRED,
            comment=_("Access ended on %(date)s.") % {"date": grant.ends_on},
        )
    if expired:
        notify_roles(
            [Role.IT_OFFICER],
            title=gettext_lazy("%(count)s expired grants to revoke"),
            body="\n".join(str(grant) for grant in expired[:20]),
            url=reverse("accounts:grant_list") + "?state=revocation_due",
            params={"count": len(expired)},
        )
    return len(expired)
