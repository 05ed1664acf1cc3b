"""The rules of machine-room inspections: versioned templates, rounds, corrections, reminders, abnormalities."""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import assign_perm, get_users_with_perms, remove_perm

from portal import audit
from portal.attachments import attach
from portal.exceptions import ActionRefused
from portal.notifications import notify_roles
from portal.validation import validated
from portal.workflow import perform

from .models import (
    InspectionReminder,
    InspectionRound,
    InspectionTemplate,
    ItemRemoval,
    MachineRoom,
    MissedInspection,
    RoundCorrection,
    RoundResult,
    TemplateItem,
    TemplateVersion,
    Visit,
)
from .permissions import MACHINE_ROOM_LEAD, REMINDED, ROOM_RECORDING, may_assign_rooms, may_edit, may_record

ITEM_FIELDS = ("group", "order", "label", "kind", "measure", "unit", "low_limit", "high_limit")


def _require(allowed: bool):
    if not allowed:
        raise ActionRefused(_("You do not have permission to do this."))


def _require_recorder(by, room=None):
    """IT records rounds; an officer assigned to machine rooms, only theirs (the IT head assigns them)."""
    _require(may_record(by))
    if room is not None and not may_record(by, room):
        raise ActionRefused(
            _("%(room)s is not among the machine rooms assigned to you: ask the IT head to assign it.") % {"room": room}
        )


@transaction.atomic
def room_assign(*, room: MachineRoom, officer, by) -> None:
    """The IT head assigns an officer to a machine room (django-guardian, given only here)."""
    if not may_assign_rooms(by):
        raise ActionRefused(_("Only the IT head assigns officers to machine rooms."))
    if not may_record(officer):
        raise ActionRefused(
            _("%(person)s does not record inspections: only IT staff look after a room.") % {"person": officer}
        )
    assign_perm(ROOM_RECORDING, officer, room)
    audit.record(audit.Kind.PERMISSION_CHANGE, user=by, what=f"{room}: {officer}", detail={"room_officer": "assigned"})


@transaction.atomic
def room_unassign(*, room: MachineRoom, officer, by) -> None:
    if not may_assign_rooms(by):
        raise ActionRefused(_("Only the IT head assigns officers to machine rooms."))
    remove_perm(ROOM_RECORDING, officer, room)
    audit.record(audit.Kind.PERMISSION_CHANGE, user=by, what=f"{room}: {officer}", detail={"room_officer": "released"})


def room_officers(room: MachineRoom):
    """The officers assigned to ``room``."""
    return get_users_with_perms(room, only_with_perms_in=["record_rounds"], with_superusers=False).order_by("username")


def take_step(instance: InspectionRound | Visit | ItemRemoval, action: str, *, by, comment: str = "", **arguments):
    """The one way a round, a visit or an item carried out moves on; what a step does beyond its row is in ``effects``."""
    return perform(instance, action, by=by, comment=comment, **arguments)


@transaction.atomic
def template_revise(
    *, template: InspectionTemplate, items: list[dict], by, change_note: str = "", **changes
) -> TemplateVersion:
    """Save an edit of a template as its next version; rounds already recorded keep the version they used."""
    _require(may_edit(by))
    if not items:
        raise ActionRefused(_("A template needs at least one item."))
    template = InspectionTemplate.objects.select_for_update().get(pk=template.pk)
    for name, value in changes.items():
        setattr(template, name, value)
    validated(template).save()
    last = template.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = TemplateVersion.objects.create(template=template, number=last + 1, change_note=change_note, created_by=by)
    new_items = []
    for position, values in enumerate(items, start=1):
        item = TemplateItem(version=version, **{name: values.get(name) for name in ITEM_FIELDS})
        item.order = values.get("order") or position
        item.measure = item.measure or ""
        item.unit = item.unit or ""
        if item.kind == TemplateItem.Kind.CHECK:
            item.measure, item.low_limit, item.high_limit = "", None, None
        new_items.append(validated(item, exclude=["version"]))
    TemplateItem.objects.bulk_create(new_items)
    return version


def round_start(
    *, template: InspectionTemplate, room: MachineRoom | None, by, day: datetime.date | None = None
) -> InspectionRound:
    """Today's round for the room (or this month's workstation round): the one already begun, or a new one."""
    _require_recorder(by, room)
    if not template.is_active:
        raise ActionRefused(_("This template is no longer in use."))
    if (room is None) != (template.target == InspectionTemplate.Target.WORKSTATIONS):
        raise ActionRefused(_("This template does not apply here."))
    if room is not None and not room.is_active:
        raise ActionRefused(_("This machine room is no longer in use."))
    period_start = template.period_start(day or timezone.localdate())
    existing = InspectionRound.objects.filter(template=template, room=room, period_start=period_start).first()
    if existing is not None:
        return existing
    version = template.current_version
    try:
        with transaction.atomic():
            inspection = InspectionRound.objects.create(
                template=template, version=version, room=room, period_start=period_start, inspector=by
            )
            results = []
            for item in version.items.all():
                low, high = item.limits_in(room)
                results.append(RoundResult(round=inspection, item=item, low_limit=low, high_limit=high))
            RoundResult.objects.bulk_create(results)
    except IntegrityError:
        # Someone started the same round a moment ago: the constraint kept one, carry on with it.
        return InspectionRound.objects.get(template=template, room=room, period_start=period_start)
    return inspection


@dataclass
class Finding:
    """What the inspector entered for one result on the round form."""

    result: RoundResult
    status: str = ""
    value: object = None
    description: str = ""
    photos: list = field(default_factory=list)


@transaction.atomic
def round_record(*, inspection: InspectionRound, findings: list[Finding], by) -> InspectionRound:
    """Save what the inspector entered so far; a submitted round is read-only."""
    _require_recorder(by, inspection.room)
    inspection = InspectionRound.objects.select_for_update().get(pk=inspection.pk)
    if inspection.state != InspectionRound.State.DRAFT:
        raise ActionRefused(_("A submitted round is read-only; record a correction instead."))
    for finding in findings:
        result = finding.result
        if result.round_id != inspection.pk:
            raise ActionRefused(_("This item does not belong to this round."))
        result.value = finding.value if result.is_reading else None
        if result.is_reading:
            result.status = "" if finding.value is None else _reading_status(result)
        else:
            result.status = finding.status
        result.description = finding.description.strip()
        result.save()
        if finding.photos:
            attach(result, finding.photos, by=by)
    return inspection


def _reading_status(result):
    return RoundResult.Status.ABNORMAL if result.is_out_of_range else RoundResult.Status.NORMAL


def correction_refusal(inspection: InspectionRound) -> str | None:
    """Why the round cannot be corrected now, or ``None``."""
    if not inspection.is_submitted:
        return _("Only a submitted round is corrected; a round being filled in is simply edited.")
    return None


@transaction.atomic
def round_correct(
    *, result: RoundResult, by, reason: str, status: str = "", value=None, description: str = ""
) -> RoundCorrection:
    """Correct one finding of a submitted round: the old and new finding are kept side by side with the reason."""
    result = RoundResult.objects.select_for_update(of=("self",)).select_related("round__room", "item").get(pk=result.pk)
    _require_recorder(by, result.round.room)
    refused = correction_refusal(result.round)
    if refused:
        raise ActionRefused(refused)
    if not reason.strip():
        raise ActionRefused(_("Say why the round is corrected."))
    correction = RoundCorrection(
        round=result.round,
        result=result,
        old_status=result.status,
        old_value=result.value,
        old_description=result.description,
        reason=reason.strip(),
        corrected_by=by,
    )
    if result.is_reading:
        if value is None:
            raise ActionRefused(_("Enter the corrected reading."))
        result.value = value
        result.status = _reading_status(result)
    else:
        if status not in RoundResult.Status.values:
            raise ActionRefused(_("Choose normal or abnormal."))
        result.status = status
    result.description = description.strip()
    if result.needs_description and not result.description:
        raise ActionRefused(_("An abnormal finding needs a description."))
    result._change_reason = correction.reason
    result.save()
    correction.new_status, correction.new_value, correction.new_description = (
        result.status,
        result.value,
        result.description,
    )
    validated(correction).save()
    inspection = result.round
    inspection.abnormal_count = inspection.results.filter(is_abnormal=True).count()
    inspection._change_reason = correction.reason
    inspection.save(update_fields=["abnormal_count"])
    return correction


def abnormality_refusal(result: RoundResult) -> str | None:
    """Why the finding cannot be closed now, or ``None``."""
    if not result.is_abnormal:
        return _("This finding is not abnormal.")
    if result.closed_at is not None:
        return _("This abnormality is already closed.")
    return None


@transaction.atomic
def abnormality_close(*, result: RoundResult, resolution: str, by) -> RoundResult:
    result = RoundResult.objects.select_for_update(of=("self",)).select_related("round__room").get(pk=result.pk)
    _require_recorder(by, result.round.room)
    refused = abnormality_refusal(result)
    if refused:
        raise ActionRefused(refused)
    if not resolution.strip():
        raise ActionRefused(_("Say how the abnormality was resolved."))
    result.resolution, result.closed_at, result.closed_by = resolution.strip(), timezone.now(), by
    result.save()
    return result


@dataclass
class TickOutcome:
    reminders: int = 0
    missed: int = 0

    def __str__(self):
        return f"reminders={self.reminders} missed={self.missed}"


def inspection_tick(*, now: datetime.datetime | None = None) -> TickOutcome:
    """Remind IT officers of rooms not inspected by the morning time; record missed rounds at end of day.

    Yesterday is looked at too, so a tick that was down at the end-of-day time still records the miss.
    The unique reminder and missed rows make a second tick a no-op.
    """
    local = timezone.localtime(now or timezone.now())
    today = local.date()
    outcome = TickOutcome()
    daily = list(InspectionTemplate.objects.filter(is_active=True, target=InspectionTemplate.Target.MACHINE_ROOM))
    rooms = list(MachineRoom.objects.filter(is_active=True, commissioned_on__lte=today))
    days = (today - datetime.timedelta(days=1), today)
    submitted = set(
        InspectionRound.objects.filter(
            state=InspectionRound.State.SUBMITTED, template__in=daily, room__in=rooms, period_start__in=days
        ).values_list("template_id", "room_id", "period_start")
    )
    for template in daily:
        for room in rooms:
            for day in days:
                if day < room.commissioned_on or (template.pk, room.pk, day) in submitted:
                    continue
                if day < today or local.time() >= room.deadline_time:
                    outcome.missed += _record_missed(template, room, day)
                elif local.time() >= room.reminder_time:
                    outcome.reminders += _send_reminder(template, room, day)
    outcome.missed += _record_missed_months(today)
    return outcome


def _once(model, notice: dict, **row) -> int:
    """Create the unique ``row`` and send its ``notice`` (1), or nothing when the row is already there (0)."""
    try:
        with transaction.atomic():
            model.objects.create(**row)
            notify_roles(**notice)
    except IntegrityError:
        return 0
    return 1


def _send_reminder(template, room, day) -> int:
    notice = {
        "roles": REMINDED,
        "title": gettext_lazy("%(room)s has not been inspected today"),
        "body": gettext_lazy("No inspection round was submitted for %(room)s by %(time)s on %(day)s."),
        "url": reverse("inspections:today"),
        "params": {"room": room, "time": f"{room.reminder_time:%H:%M}", "day": day},
    }
    return _once(InspectionReminder, notice, template=template, room=room, period_start=day)


def _record_missed(template, room, day) -> int:
    notice = {
        "roles": MACHINE_ROOM_LEAD,
        "title": gettext_lazy("Missed inspection: %(room)s on %(day)s"),
        "body": gettext_lazy("No inspection round was submitted for %(room)s by %(time)s."),
        "url": reverse("inspections:room_detail", args=[room.pk]) + f"?month={day:%Y-%m}",
        "params": {"room": room, "day": day, "time": f"{room.deadline_time:%H:%M}"},
    }
    return _once(MissedInspection, notice, template=template, room=room, period_start=day)


def _record_missed_months(today) -> int:
    """A monthly workstation maintenance not submitted by the end of its month is missed."""
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    templates = InspectionTemplate.objects.filter(
        is_active=True,
        target=InspectionTemplate.Target.WORKSTATIONS,
        versions__number=1,
        versions__created_at__date__lt=today.replace(day=1),
    ).exclude(
        Exists(
            InspectionRound.objects.filter(
                template=OuterRef("pk"), period_start=last_month, state=InspectionRound.State.SUBMITTED
            )
        )
    )
    return sum(
        _once(
            MissedInspection,
            {
                "roles": MACHINE_ROOM_LEAD,
                "title": gettext_lazy("Missed inspection: %(template)s for %(month)s"),
                "url": reverse("inspections:round_list"),
                "params": {"template": template, "month": f"{last_month:%Y-%m}"},
            },
            template=template,
            room=None,
            period_start=last_month,
        )
        for template in templates
    )


def visit_registered(*, visit) -> None:
    """A registered visit waits for the machine-room lead (the IT head)."""
    notify_roles(
        MACHINE_ROOM_LEAD,
        title=gettext_lazy("Machine-room visit to approve: %(visitor)s (%(organisation)s)"),
        body=gettext_lazy("%(room)s on %(day)s: %(purpose)s"),
        url=visit.get_absolute_url(),
        params={
            "visitor": visit.visitor_name,
            "organisation": visit.organisation,
            "room": visit.room,
            "day": visit.visit_date,
            "purpose": visit.purpose,
        },
    )


def register_removal(*, by, **fields) -> ItemRemoval:
    """Register an item to be carried out of a machine room: it waits for the machine-room lead's approval."""
    removal = validated(ItemRemoval(requested_by=by, **fields))
    removal.save()
    notify_roles(
        MACHINE_ROOM_LEAD,
        title=gettext_lazy("Item to be carried out of the machine room: %(item)s ×%(quantity)s"),
        body=gettext_lazy("%(room)s on %(day)s, carried by %(carrier)s: %(reason)s"),
        url=removal.get_absolute_url(),
        params={
            "item": removal.item,
            "quantity": removal.quantity,
            "room": removal.room,
            "day": removal.planned_on,
            "carrier": removal.carrier,
            "reason": removal.reason,
        },
    )
    return removal
