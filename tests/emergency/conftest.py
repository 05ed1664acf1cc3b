import datetime
from zoneinfo import ZoneInfo

import pytest

from emergency import services
from emergency.models import DrillPlan, SecurityIncident

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*parts):
    """A moment in the hospital's time zone: ``at(2026, 1, 5, 9)``."""
    return datetime.datetime(*parts, tzinfo=SHANGHAI)


@pytest.fixture
def it_head(make_user):
    return make_user("it_head", username="head1", full_name="陈志强")


@pytest.fixture
def officer(make_user):
    return make_user("it_officer", username="officer1", full_name="张伟")


@pytest.fixture
def leader(make_user):
    return make_user("leader", username="leader1", full_name="王院长")


@pytest.fixture
def auditor(make_user):
    return make_user("auditor", username="auditor1", full_name="纪检李")


@pytest.fixture
def staff(make_user):
    return make_user("staff", username="staff1", full_name="护士赵")


@pytest.fixture
def plan(db, it_head):
    return DrillPlan.objects.create(
        scenario="HIS数据库服务器宕机",
        plan_chapter="001 八(六) 应急数据恢复工作规定",
        interval_days=180,
        starts_on=datetime.date(2025, 1, 1),
        owner=it_head,
    )


@pytest.fixture
def make_drill(officer, it_head):
    def make(plan, held_at, **fields):
        values = {
            "participants": [officer, it_head],
            "activities": "切换备用服务器并恢复数据库",
            "restore_minutes": 45,
            "by": officer,
            **fields,
        }
        return services.drill_record(plan=plan, held_at=held_at, **values)

    return make


@pytest.fixture
def incident(officer):
    return services.incident_record(
        kind=SecurityIncident.Kind.DATA_LEAK,
        title="检验报告导出文件外发",
        description="检验科工作站导出的患者报告文件通过U盘带出。",
        occurred_at=at(2026, 1, 3, 10),
        discovered_at=at(2026, 1, 4, 8, 30),
        affected_systems="检验科LIS工作站",
        measures="封存该工作站USB端口，开启文件外发审计监控。",
        by=officer,
    )


def resolved(incident, officer):
    return services.take_step(
        incident,
        "resolve",
        by=officer,
        resolution="收回U盘并删除文件，完成全院USB端口管控。",
        resolved_at=at(2026, 1, 4, 16),
    )
