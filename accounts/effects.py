"""What each step of access governance does beyond its own row: grants, the person's record, the notices.

One action→effect table per workflow model on ``transition_done``; every effect runs inside the step's transaction,
so a refused effect (an access already held or already revoked) undoes the step.
"""

from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.exceptions import ActionRefused
from portal.notifications import notify, notify_roles
from portal.roles import Role
from portal.validation import validated
from portal.workflow import effects, transition_done

from .models import AccessScheme, Departure, Grant, NetworkRequest, PermissionRequest, SensitiveQueryRequest
from .services import access_scheme_supersede_previous, grant_audit, grant_revoke, notify_next_handlers


def _tell_next_handlers(request, *, by, comment, arguments):
    notify_next_handlers(request)


def _add_grant(request, *, by):
    grant = validated(
        Grant(user=request.subject, system=request.system, account_name=request.account_name, ends_on=request.ends_on)
    )
    try:
        with transaction.atomic():
            grant.save()
    except IntegrityError as error:
        raise ActionRefused(_("This user already holds access to this system.")) from error
    grant.modules.set(request.modules.all())
    request.grant = grant
    request.save(update_fields=["grant"])
    grant_audit(grant, "given", by=by, request=request.number)


def _change_grant(request, grant, *, by):
    grant.account_name = request.account_name or grant.account_name
    grant.ends_on = request.ends_on
    grant.save()
    grant.modules.set(request.modules.all())
    grant_audit(grant, "changed", by=by, request=request.number)


def _revoke_grant(request, grant, *, by):
    grant_revoke(grant=grant, by=by, comment=request.number, reason=Grant.RevocationReason.REQUEST)


def _provision(request, *, by, comment, arguments):
    """Provisioning creates, changes or revokes the grant the request names, then tells who asked."""
    if request.kind == PermissionRequest.Kind.ADD:
        _add_grant(request, by=by)
    else:
        grant = Grant.objects.select_for_update().get(pk=request.grant_id)
        if grant.state == Grant.State.REVOKED:
            raise ActionRefused(_("This access has already been revoked."))
        change = _change_grant if request.kind == PermissionRequest.Kind.CHANGE else _revoke_grant
        change(request, grant, by=by)
    notify_next_handlers(request)


receiver(transition_done, sender=PermissionRequest)(
    effects(
        {
            "approve": _tell_next_handlers,
            "it_approve": _tell_next_handlers,
            "provision": _provision,
            "reject": _tell_next_handlers,
        }
    )
)


def _move_person(departure, *, by, comment, arguments):
    """A completed transfer moves the person to the new department; a completed departure deactivates them."""
    user = departure.user
    if departure.kind == Departure.Kind.TRANSFER:
        user.department = departure.to_department
        user.save(update_fields=["department"])
    else:
        user.is_active = False
        user.save(update_fields=["is_active"])


receiver(transition_done, sender=Departure)(effects({"complete": _move_person}))


def _ask_it_to_set_up(request, *, by, comment, arguments):
    notify_roles(
        [Role.IT_OFFICER],
        title=gettext_lazy("External network request %(number)s approved: set it up"),
        url=request.get_absolute_url(),
        params={"number": request.number},
    )


def _tell_applicant(request, *, by, comment, arguments):
    notify(
        [request.applicant],
        title=gettext_lazy("External network request %(number)s: %(state)s"),
        url=request.get_absolute_url(),
        params={"number": request.number, "state": NetworkRequest.State(request.state).label},
    )


receiver(transition_done, sender=NetworkRequest)(
    effects({"approve": _ask_it_to_set_up, "open_access": _tell_applicant, "reject": _tell_applicant})
)


def _ask_auditor_to_file(request, *, by, comment, arguments):
    notify_roles(
        [Role.AUDITOR],
        title=gettext_lazy("Sensitive query %(number)s approved: file it"),
        body=str(request),
        url=request.get_absolute_url(),
        params={"number": request.number},
    )


receiver(transition_done, sender=SensitiveQueryRequest)(effects({"approve": _ask_auditor_to_file}))


def _tell_proposer(scheme, *, by, comment, arguments):
    notify(
        [scheme.proposed_by],
        title=gettext_lazy("%(scheme)s: %(state)s"),
        url=scheme.get_absolute_url(),
        params={"scheme": str(scheme), "state": AccessScheme.State(scheme.state).label},
    )


def _bring_into_force(scheme, *, by, comment, arguments):
    """An approved scheme supersedes the one in force before it (001 一(三)8), then its proposer is told."""
    access_scheme_supersede_previous(scheme, by=by)
    _tell_proposer(scheme, by=by, comment=comment, arguments=arguments)


receiver(transition_done, sender=AccessScheme)(effects({"approve": _bring_into_force, "reject": _tell_proposer}))
