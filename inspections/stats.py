"""Inspection numbers for the dashboard and the statistical reports; plain data from aggregate queries.

Every due period ends either with a submitted round or with a missed-inspection record (the tick
records each miss), so rounds due = rounds done + missed rounds.
"""

import datetime

from django.db.models import Avg, Count, Max, Min, Q
from django.db.models.functions import TruncMonth

from .models import InspectionRound, MissedInspection, RoundResult, TemplateItem, Visit


def _rounds(start, end):
    return InspectionRound.objects.filter(state=InspectionRound.State.SUBMITTED, period_start__range=(start, end))


def compliance_rate(start: datetime.date, end: datetime.date, department=None) -> dict:
    """Rounds done against rounds due, overall and per machine room; ``rate`` is a percentage or None."""
    done = dict(_rounds(start, end).values("room__name").annotate(n=Count("pk")).values_list("room__name", "n"))
    missed = dict(
        MissedInspection.objects.filter(period_start__range=(start, end))
        .values("room__name")
        .annotate(n=Count("pk"))
        .values_list("room__name", "n")
    )
    rooms = []
    for name in sorted(set(done) | set(missed), key=lambda n: (n is None, n or "")):
        rooms.append(_rate_row(name, done.get(name, 0), missed.get(name, 0)))
    total = _rate_row(None, sum(done.values()), sum(missed.values()))
    return {"done": total["done"], "due": total["due"], "rate": total["rate"], "rooms": rooms}


def _rate_row(name, done, missed):
    due = done + missed
    return {
        "room": name,
        "done": done,
        "missed": missed,
        "due": due,
        "rate": round(100 * done / due, 1) if due else None,
    }


def missed_rounds(start: datetime.date, end: datetime.date, department=None) -> list[dict]:
    """Missed inspections per machine room (None = workstation maintenance) and template."""
    return list(
        MissedInspection.objects.filter(period_start__range=(start, end))
        .values("room__name", "template__name")
        .annotate(count=Count("pk"))
        .order_by("room__name", "template__name")
    )


def abnormal_items_by_group(start: datetime.date, end: datetime.date, department=None) -> list[dict]:
    """Abnormal findings per item group, with how many are still open."""
    labels = dict(TemplateItem.Group.choices)
    rows = (
        RoundResult.objects.filter(
            is_abnormal=True, round__state=InspectionRound.State.SUBMITTED, round__period_start__range=(start, end)
        )
        .values("item__group")
        .annotate(count=Count("pk"), open=Count("pk", filter=Q(closed_at__isnull=True)))
        .order_by("-count", "item__group")
    )
    return [
        {
            "group": row["item__group"],
            "label": str(labels.get(row["item__group"], row["item__group"])),
            "count": row["count"],
            "open": row["open"],
        }
        for row in rows
    ]


def reading_summary(start: datetime.date, end: datetime.date, department=None) -> list[dict]:
    """Minimum, maximum and mean of the temperature and humidity readings per machine room."""
    rows = (
        RoundResult.objects.filter(
            value__isnull=False,
            item__measure__in=[TemplateItem.Measure.TEMPERATURE, TemplateItem.Measure.HUMIDITY],
            round__state=InspectionRound.State.SUBMITTED,
            round__period_start__range=(start, end),
        )
        .values("round__room__name", "item__measure")
        .annotate(minimum=Min("value"), maximum=Max("value"), mean=Avg("value"), readings=Count("pk"))
        .order_by("round__room__name", "item__measure")
    )
    return [
        {
            "room": row["round__room__name"],
            "measure": row["item__measure"],
            "minimum": round(float(row["minimum"]), 1),
            "maximum": round(float(row["maximum"]), 1),
            "mean": round(float(row["mean"]), 1),
            "readings": row["readings"],
        }
        for row in rows
    ]


def visitors_per_period(start: datetime.date, end: datetime.date, department=None) -> list[dict]:
    """Visits per month: registered, admitted to the room, and rejected."""
    return list(
        Visit.objects.filter(visit_date__range=(start, end))
        .annotate(month=TruncMonth("visit_date"))
        .values("month")
        .annotate(
            registered=Count("pk"),
            admitted=Count("pk", filter=Q(checked_in_at__isnull=False)),
            rejected=Count("pk", filter=Q(state=Visit.State.REJECTED)),
        )
        .order_by("month")
    )
