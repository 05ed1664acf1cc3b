import datetime
from decimal import Decimal

import pytest

from inspections import stats
from inspections.models import InspectionRound, MachineRoom, MissedInspection, RoundResult, TemplateItem, Visit

START, END = datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)


@pytest.fixture
def october(daily, officer):
    """Two rooms in October: 中心机房 4 rounds + 1 missed, 灾备机房 2 rounds; one hot day, one UPS fault (closed)."""
    central = MachineRoom.objects.create(name="中心机房", commissioned_on=START)
    backup = MachineRoom.objects.create(name="灾备机房", commissioned_on=START)
    version = daily.current_version
    items = {item.label: item for item in version.items.all()}
    readings = {central: [22, 24, 31, 23], backup: [20, 21]}
    for room, temperatures in readings.items():
        for day, temperature in enumerate(temperatures, start=1):
            inspection = InspectionRound.objects.create(
                template=daily,
                version=version,
                room=room,
                period_start=START.replace(day=day),
                inspector=officer,
                state="submitted",
            )
            for label, value in (("机房温度", temperature), ("机房湿度", 50)):
                RoundResult.objects.create(
                    round=inspection,
                    item=items[label],
                    value=Decimal(value),
                    low_limit=18 if label == "机房温度" else 35,
                    high_limit=28 if label == "机房温度" else 75,
                )
    ups = RoundResult.objects.create(
        round=InspectionRound.objects.filter(room=backup).first(),
        item=items["UPS电池状态"],
        status="abnormal",
        description="电池告警",
    )
    ups.closed_at = datetime.datetime(2026, 10, 2, tzinfo=datetime.UTC)
    ups.save()
    MissedInspection.objects.create(template=daily, room=central, period_start=START.replace(day=5))
    MissedInspection.objects.create(template=daily, room=central, period_start=datetime.date(2026, 11, 5))
    return central, backup


def test_compliance_rate_is_done_over_due(october):
    result = stats.compliance_rate(START, END)
    assert (result["done"], result["due"], result["rate"]) == (6, 7, 85.7)
    assert result["rooms"] == [
        {"room": "中心机房", "done": 4, "missed": 1, "due": 5, "rate": 80.0},
        {"room": "灾备机房", "done": 2, "missed": 0, "due": 2, "rate": 100.0},
    ]


def test_missed_rounds_in_the_period_only(october, daily):
    assert stats.missed_rounds(START, END) == [{"room__name": "中心机房", "template__name": daily.name, "count": 1}]


def test_abnormal_items_by_group(october):
    rows = {row["group"]: (row["count"], row["open"]) for row in stats.abnormal_items_by_group(START, END)}
    assert rows == {"environment": (1, 1), "power": (1, 0)}


def test_reading_summary_per_room(october):
    rows = {(row["room"], row["measure"]): row for row in stats.reading_summary(START, END)}
    central = rows[("中心机房", TemplateItem.Measure.TEMPERATURE)]
    assert (central["minimum"], central["maximum"], central["mean"], central["readings"]) == (22.0, 31.0, 25.0, 4)
    assert rows[("灾备机房", TemplateItem.Measure.HUMIDITY)]["mean"] == 50.0


def test_visitors_per_month(october, officer):
    central, _ = october
    for day, state, checked_in in ((3, "checked_out", True), (9, "rejected", False), (20, "requested", False)):
        Visit.objects.create(
            room=central,
            visitor_name="钱工",
            organisation="华为",
            purpose="维保",
            visit_date=START.replace(day=day),
            requested_by=officer,
            state=state,
            escort=officer if checked_in else None,
            checked_in_at=datetime.datetime(2026, 10, day, 2, tzinfo=datetime.UTC) if checked_in else None,
        )
    assert stats.visitors_per_period(START, END) == [{"month": START, "registered": 3, "admitted": 1, "rejected": 1}]
