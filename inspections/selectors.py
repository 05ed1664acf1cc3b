"""Reads shared by the dashboard and the inspection pages."""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.dashboard import Awaiting

from .models import (
    InspectionRound,
    InspectionTemplate,
    ItemRemoval,
    MachineRoom,
    MissedInspection,
    RoundResult,
    TemplateItem,
    Visit,
)
from .permissions import may_approve, may_record


def awaiting(user) -> list[Awaiting]:
    """Rooms not yet inspected today, open abnormalities, and (for the IT head) visits and items out to approve."""
    if not may_record(user):
        return []
    now = timezone.localtime()
    today = now.date()
    rooms = list(
        MachineRoom.objects.filter(is_active=True, commissioned_on__lte=today).values_list("pk", "reminder_time")
    )
    done = set(
        InspectionRound.objects.filter(
            period_start=today,
            state=InspectionRound.State.SUBMITTED,
            template__target=InspectionTemplate.Target.MACHINE_ROOM,
        ).values_list("room_id", flat=True)
    )
    pending = [reminder for pk, reminder in rooms if pk not in done]
    items = [
        Awaiting(
            label=_("Machine rooms not yet inspected today"),
            count=len(pending),
            url=reverse("inspections:today"),
            urgent=any(now.time() >= reminder for reminder in pending),
        ),
        Awaiting(
            label=_("Open abnormal inspection findings"),
            count=RoundResult.objects.filter(
                is_abnormal=True, closed_at__isnull=True, round__state=InspectionRound.State.SUBMITTED
            ).count(),
            url=reverse("inspections:abnormality_list") + "?is_open=true",
        ),
    ]
    if may_approve(user):
        items.append(
            Awaiting(
                label=_("Machine-room visits awaiting approval"),
                count=Visit.objects.filter(state=Visit.State.REQUESTED).count(),
                url=reverse("inspections:visit_list") + "?state=requested",
            )
        )
        items.append(
            Awaiting(
                label=_("Items to be carried out awaiting approval"),
                count=ItemRemoval.objects.filter(state=ItemRemoval.State.REQUESTED).count(),
                url=reverse("inspections:removal_list") + "?state=requested",
            )
        )
    return items


@dataclass
class RoomToday:
    room: MachineRoom
    round: InspectionRound | None
    missed: bool
    temperature: object = None
    humidity: object = None

    @property
    def status(self):
        if self.round is not None and self.round.is_submitted:
            return "abnormal" if self.round.abnormal_count else "done"
        if self.missed:
            return "missed"
        return "draft" if self.round is not None else "pending"


def today_overview(day: datetime.date, template: InspectionTemplate | None) -> list[RoomToday]:
    """Each active machine room with its round for the day and its temperature and humidity readings."""
    rooms = list(MachineRoom.objects.filter(is_active=True))
    if template is None:
        return [RoomToday(room=room, round=None, missed=False) for room in rooms]
    rounds = {
        r.room_id: r
        for r in InspectionRound.objects.filter(template=template, period_start=day).select_related("inspector")
    }
    missed = set(MissedInspection.objects.filter(template=template, period_start=day).values_list("room_id", flat=True))
    readings = {}
    for room_id, measure, value in RoundResult.objects.filter(
        round__in=rounds.values(), item__measure__in=[TemplateItem.Measure.TEMPERATURE, TemplateItem.Measure.HUMIDITY]
    ).values_list("round__room_id", "item__measure", "value"):
        readings[(room_id, measure)] = value
    return [
        RoomToday(
            room=room,
            round=rounds.get(room.pk),
            missed=room.pk in missed,
            temperature=readings.get((room.pk, TemplateItem.Measure.TEMPERATURE)),
            humidity=readings.get((room.pk, TemplateItem.Measure.HUMIDITY)),
        )
        for room in rooms
    ]


def visitors_in_room():
    return Visit.objects.filter(state=Visit.State.CHECKED_IN).select_related("room", "escort").order_by("checked_in_at")


@dataclass
class CalendarDay:
    day: datetime.date
    status: str  # done / abnormal / missed / draft / due / future / none
    round: InspectionRound | None = None


def room_month(room: MachineRoom, year: int, month: int) -> list[list[CalendarDay | None]]:
    """The month as weeks (Monday first) of days marked done, abnormal, missed, being filled in or not due."""
    first = datetime.date(year, month, 1)
    last = first.replace(day=calendar.monthrange(year, month)[1])
    today = timezone.localdate()
    rounds = {
        r.period_start: r
        for r in InspectionRound.objects.filter(
            room=room, period_start__range=(first, last), template__target=InspectionTemplate.Target.MACHINE_ROOM
        )
    }
    missed = set(
        MissedInspection.objects.filter(room=room, period_start__range=(first, last)).values_list(
            "period_start", flat=True
        )
    )
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        row = []
        for day in week:
            if day.month != month:
                row.append(None)
                continue
            found = rounds.get(day)
            if found is not None and found.is_submitted:
                status = "abnormal" if found.abnormal_count else "done"
            elif day in missed:
                status = "missed"
            elif found is not None:
                status = "draft"
            elif day > today:
                status = "future"
            elif day < room.commissioned_on:
                status = "none"
            else:
                status = "due"
            row.append(CalendarDay(day=day, status=status, round=found))
        weeks.append(row)
    return weeks


def room_readings(room: MachineRoom, start: datetime.date, end: datetime.date) -> dict[str, list[tuple]]:
    """(day, value) of each submitted temperature and humidity reading of the room, oldest first."""
    series = {TemplateItem.Measure.TEMPERATURE: [], TemplateItem.Measure.HUMIDITY: []}
    rows = (
        RoundResult.objects.filter(
            round__room=room,
            round__state=InspectionRound.State.SUBMITTED,
            round__period_start__range=(start, end),
            item__measure__in=list(series),
            value__isnull=False,
        )
        .order_by("round__period_start")
        .values_list("item__measure", "round__period_start", "value")
    )
    for measure, day, value in rows:
        series[measure].append((day, float(value)))
    return series


def abnormality_counts():
    return RoundResult.objects.filter(is_abnormal=True, round__state=InspectionRound.State.SUBMITTED).aggregate(
        open=Count("pk", filter=Q(closed_at__isnull=True)), closed=Count("pk", filter=Q(closed_at__isnull=False))
    )
