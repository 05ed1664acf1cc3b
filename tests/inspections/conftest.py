import datetime
from decimal import Decimal

import pytest
import time_machine

from inspections import services
from inspections.models import InspectionTemplate, MachineRoom

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
NOON = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=SHANGHAI)


def frozen_at(moment):
    """An autouse fixture that holds the clock at ``moment`` through each test of the module that names it."""

    @pytest.fixture(autouse=True)
    def _frozen():
        with time_machine.travel(moment, tick=False):
            yield

    return _frozen


@pytest.fixture
def it_department():
    from tests.factories import DepartmentFactory

    return DepartmentFactory(code="XXK", name="信息科")


@pytest.fixture
def officer(make_user, it_department):
    return make_user("it_officer", department=it_department, username="it_officer", full_name="张伟")


@pytest.fixture
def head(make_user, it_department):
    return make_user("it_head", department=it_department, username="it_head", full_name="陈志强")


@pytest.fixture
def room(db):
    return MachineRoom.objects.create(
        name="中心机房", location="门诊综合楼五楼", commissioned_on=datetime.date(2026, 11, 20)
    )


@pytest.fixture
def daily(db):
    """The policy's daily machine-room template, version 1, seeded by the data migration."""
    return InspectionTemplate.objects.get(target=InspectionTemplate.Target.MACHINE_ROOM)


@pytest.fixture
def monthly(db):
    return InspectionTemplate.objects.get(target=InspectionTemplate.Target.WORKSTATIONS)


@pytest.fixture
def submitted(daily, room, officer):
    """Today's round of the central machine room, submitted with one abnormal finding: 30.2 °C, 空调故障."""
    inspection = services.round_start(template=daily, room=room, by=officer)
    fill(inspection, officer, temperature="30.2", overrides={"机房温度": {"description": "空调故障"}})
    return services.take_step(inspection, "submit", by=officer)


def fill(inspection, by, *, temperature="23.0", humidity="50.0", overrides=None):
    """Record every item of the round normal (readings as given), with ``overrides`` {label: Finding kwargs}."""
    overrides = overrides or {}
    findings = []
    for result in inspection.results.select_related("item"):
        values = {"status": "normal", "value": None, "description": ""}
        if result.is_reading:
            values["value"] = Decimal({"temperature": temperature, "humidity": humidity}.get(result.item.measure, "40"))
        values.update(overrides.get(result.item.label, {}))
        findings.append(services.Finding(result=result, **values))
    return services.round_record(inspection=inspection, findings=findings, by=by)
