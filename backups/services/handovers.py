"""A leaving DBA's handover: started by the DBA or the IT head, completed by the successor's own evidence."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.exceptions import ActionRefused
from portal.notifications import notify, users_with_role
from portal.numbering import next_number
from portal.roles import Role
from portal.validation import validated

from ..models import DbaHandover
from ..permissions import is_dba, may_link_evidence, may_manage


def dba_handover_start(
    *, departing_dba, successor, by, started_at=None, plan_handed_over=False, note=""
) -> DbaHandover:
    if not may_manage(by):
        raise ActionRefused(_("Only the DBA or the IT head starts a DBA handover."))
    if not is_dba(departing_dba):
        raise ActionRefused(_("%(person)s is not a DBA.") % {"person": departing_dba})
    if successor.pk == departing_dba.pk:
        raise ActionRefused(_("The successor cannot be the departing DBA."))
    if not plan_handed_over:
        raise ActionRefused(_("Confirm that the backup plan and the backup register were handed over."))
    if DbaHandover.objects.filter(departing_dba=departing_dba, completed_at__isnull=True).exists():
        raise ActionRefused(_("%(person)s already has a handover in progress.") % {"person": departing_dba})
    handover = DbaHandover(
        number=next_number("YJ"),
        departing_dba=departing_dba,
        successor=successor,
        started_at=started_at or timezone.now(),
        plan_handed_over=plan_handed_over,
        note=note,
        created_by=by,
    )
    validated(handover)
    handover.save()
    notify(
        [successor],
        title=gettext_lazy("DBA handover %(number)s: run a backup and a restore test yourself"),
        url=handover.get_absolute_url(),
        params={"number": handover.number},
    )
    return handover


def dba_handover_link(*, handover: DbaHandover, by, backup_run=None, verification=None) -> DbaHandover:
    """Link the successor's own successful backup and passing restore test; both linked completes the handover."""
    if not may_link_evidence(by, handover):
        raise ActionRefused(_("Only the DBA, the IT head or the successor links evidence to a handover."))
    with transaction.atomic():
        handover = DbaHandover.objects.select_for_update().get(pk=handover.pk)
        if handover.is_complete:
            raise ActionRefused(_("This handover is already complete."))
        if backup_run is not None:
            reason = handover.run_refusal(backup_run)
            if reason:
                raise ActionRefused(reason)
            handover.backup_run = backup_run
        if verification is not None:
            reason = handover.verification_refusal(verification)
            if reason:
                raise ActionRefused(reason)
            handover.verification = verification
        if handover.backup_run_id and handover.verification_id:
            handover.completed_at = timezone.now()
        handover.save()
    if handover.is_complete:
        notify(
            [handover.departing_dba, *users_with_role(Role.IT_HEAD)],
            title=gettext_lazy("DBA handover %(number)s is complete"),
            url=handover.get_absolute_url(),
            params={"number": handover.number},
        )
    return handover


def link_open_handovers(*, successor, backup_run=None, verification=None):
    """Evidence the successor records is linked to their open handovers at once."""
    for handover in DbaHandover.objects.filter(successor=successor, completed_at__isnull=True):
        run_ok = backup_run is not None and not handover.backup_run_id and handover.run_refusal(backup_run) is None
        test_ok = (
            verification is not None
            and not handover.verification_id
            and handover.verification_refusal(verification) is None
        )
        if run_ok or test_ok:
            dba_handover_link(
                handover=handover,
                by=successor,
                backup_run=backup_run if run_ok else None,
                verification=verification if test_ok else None,
            )
