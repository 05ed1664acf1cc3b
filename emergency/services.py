"""The rules of emergency management: drills are recorded by IT and kept as recorded, incidents are registered
with their temporary measures and move open → resolved → reported through the workflow."""

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exceptions import ActionRefused
from portal.numbering import next_number
from portal.validation import validated
from portal.workflow import perform

from .models import DrillRecord, SecurityIncident
from .permissions import may_record


def drill_record(
    *, plan, held_at, participants, activities, restore_minutes, by, problems="", improvements=""
) -> DrillRecord:
    """Record a drill held under ``plan``; once recorded it is kept as it is (append-only)."""
    if not may_record(by):
        raise ActionRefused(_("Only IT officers and the IT head record emergency drills."))
    if not plan.is_active:
        raise ActionRefused(_("This drill plan is no longer active."))
    if held_at > timezone.now():
        raise ActionRefused(_("Record a drill once it has been held."))
    participants = list(participants)
    if not participants:
        raise ActionRefused(_("Name the people who took part in the drill."))
    record = validated(
        DrillRecord(
            plan=plan,
            held_at=held_at,
            activities=activities,
            restore_minutes=restore_minutes,
            problems=problems,
            improvements=improvements,
            recorded_by=by,
        )
    )
    record.save()
    record.participants.set(participants)
    return record


def incident_record(
    *, kind, title, description, occurred_at, discovered_at, affected_systems, measures, by, equipment=None
) -> SecurityIncident:
    """Register a security incident with the temporary technical protection and monitoring already taken."""
    if not may_record(by):
        raise ActionRefused(_("Only IT officers and the IT head record security incidents."))
    if discovered_at < occurred_at:
        raise ActionRefused(_("An incident is discovered when or after it occurred."))
    if discovered_at > timezone.now():
        raise ActionRefused(_("An incident is recorded once it has been discovered."))
    if not measures.strip():
        raise ActionRefused(
            _(
                "账号及密码管理制度 6: record the temporary technical protection and monitoring of the devices concerned."
            )
        )
    incident = SecurityIncident(
        number=next_number(SecurityIncident.NUMBER_PREFIX),
        kind=kind,
        title=title,
        description=description,
        occurred_at=occurred_at,
        discovered_at=discovered_at,
        affected_systems=affected_systems,
        equipment=equipment,
        measures=measures,
        recorded_by=by,
    )
    validated(incident)
    incident.save()
    return incident


def take_step(incident, action, *, by, comment="", **arguments):
    """Resolve an incident or file its report, as ``by``: the workflow refuses with the reason."""
    return perform(incident, action, by=by, comment=comment, **arguments)
