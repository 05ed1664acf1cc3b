"""Access schemes (001 一(三)8): the system owner proposes which posts get each module; a leader approves it."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.exceptions import ActionRefused
from portal.notifications import notify_roles
from portal.roles import Role
from portal.validation import validated
from portal.workflow import perform

from ..models import AccessScheme, AccessSchemeLine, InformationSystem
from ..permissions import scheme_proposal_refusal


def access_scheme_propose(*, system, by, lines, note=""):
    """Propose the next version of ``system``'s scheme; ``lines`` maps each allotted module to whom it is allotted."""
    lines = {module: allotted.strip() for module, allotted in lines.items() if allotted and allotted.strip()}
    if not lines:
        raise ActionRefused(_("Allot at least one module or role to someone."))
    foreign = [module.name for module in lines if module.system_id != system.pk]
    if foreign:
        raise ActionRefused(
            _("These modules do not belong to %(system)s: %(modules)s.")
            % {"system": system.name, "modules": "、".join(foreign)}
        )
    try:
        with transaction.atomic():
            # The system's row is locked so that two proposals cannot take one version number.
            system = InformationSystem.objects.select_for_update().get(pk=system.pk)
            reason = scheme_proposal_refusal(by, system)
            if reason:
                raise ActionRefused(reason)
            version = (system.schemes.aggregate(last=Max("version"))["last"] or 0) + 1
            scheme = validated(AccessScheme(system=system, version=version, note=note, proposed_by=by))
            scheme.save()
            AccessSchemeLine.objects.bulk_create(
                [
                    validated(AccessSchemeLine(scheme=scheme, module=module, allotted_to=allotted))
                    for module, allotted in lines.items()
                ]
            )
    except IntegrityError as error:
        raise ActionRefused(_("A scheme of this system is already awaiting the leader's approval.")) from error
    notify_roles(
        [Role.LEADER],
        title=gettext_lazy("Access scheme to approve: %(scheme)s"),
        params={"scheme": str(scheme)},
        url=scheme.get_absolute_url(),
    )
    return scheme


def access_scheme_act(*, scheme, action, by, comment=""):
    """The one entry point for a step of a scheme (approve, reject); superseding the one before is an effect."""
    return perform(scheme, action, by=by, comment=comment)


def access_scheme_supersede_previous(scheme, *, by):
    """Once ``scheme`` is approved, the system's scheme approved before it is superseded (kept, no longer in force)."""
    previous = AccessScheme.objects.current().filter(system_id=scheme.system_id).exclude(pk=scheme.pk)
    for older in previous:
        perform(
            older,
            "supersede",
            by=by,
            comment=_("Superseded by version %(version)s.") % {"version": scheme.version},
        )
