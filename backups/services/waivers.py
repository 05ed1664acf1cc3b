"""Off-site copy waivers: asked for with a reason, decided by the IT head (000 数据备份工作制度 8)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.exceptions import ActionRefused
from portal.notifications import notify, users_with_role
from portal.numbering import next_number
from portal.roles import Role
from portal.validation import validated

from ..models import OffsiteWaiver
from ..permissions import may_manage


def offsite_waiver_request(*, target, reason, by) -> OffsiteWaiver:
    """Ask the IT head to let ``target`` stop keeping an off-site copy; the plan keeps it until approved."""
    if not may_manage(by):
        raise ActionRefused(_("Only the DBA or the IT head asks to stop a plan's off-site copy."))
    if not target.offsite_copy:
        raise ActionRefused(_("This plan no longer keeps an off-site copy."))
    if not reason.strip():
        raise ActionRefused(_("Backup policy (数据备份工作制度 8): say why this plan need not keep an off-site copy."))
    if target.offsite_waivers.filter(state=OffsiteWaiver.State.PENDING).exists():
        raise ActionRefused(_("This plan already has a waiver request awaiting the IT head."))
    waiver = OffsiteWaiver(
        number=next_number(OffsiteWaiver.NUMBER_PREFIX), target=target, reason=reason, requested_by=by
    )
    validated(waiver)
    waiver.save()
    notify(
        list(users_with_role(Role.IT_HEAD)),
        title=gettext_lazy("Off-site copy waiver %(number)s for %(target)s awaits your decision"),
        url=waiver.get_absolute_url(),
        params={"number": waiver.number, "target": target.name},
    )
    return waiver


def offsite_copy_require(*, target, by):
    """Keep an off-site copy again: stricter than before, so no approval is needed."""
    if not may_manage(by):
        raise ActionRefused(_("Only the DBA or the IT head changes a backup plan."))
    if target.offsite_copy:
        raise ActionRefused(_("This plan already keeps an off-site copy."))
    target.offsite_copy = True
    target.save(update_fields=["offsite_copy"])
    return target
