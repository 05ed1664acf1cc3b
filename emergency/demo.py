"""Demo emergency management: two drill plans (one overdue), a drill held, an open incident and a reported one."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from .forms import draft_report
from .models import DrillPlan, SecurityIncident
from .services import drill_record, incident_record, take_step


def _users():
    by_name = {
        user.username: user for user in get_user_model().objects.filter(username__in=["it_head", "it_officer", "dba"])
    }
    return by_name.get("it_head"), by_name.get("it_officer"), by_name.get("dba")


def seed(*, scale="demo", stdout=None):
    it_head, officer, dba = _users()
    if it_head is None or officer is None:
        return
    now = timezone.now().replace(second=0, microsecond=0)
    today = timezone.localdate()
    if not DrillPlan.objects.exists():
        _seed_drills(it_head, officer, dba, now, today)
    if not SecurityIncident.objects.exists():
        _seed_incidents(it_head, officer, now)


def _seed_drills(it_head, officer, dba, now, today):
    his = DrillPlan.objects.create(
        scenario="HIS数据库服务器宕机",
        plan_chapter="001 八(六) 应急数据恢复工作规定、(七) 网络服务器故障应急处理规程",
        interval_days=180,
        starts_on=today - timedelta(days=400),
        owner=it_head,
    )
    # Never rehearsed since the plan began more than one interval ago: overdue on the list and the dashboard.
    DrillPlan.objects.create(
        scenario="核心交换机故障",
        plan_chapter="001 八(五) 发生网络整体故障时的首要工作",
        interval_days=180,
        starts_on=today - timedelta(days=200),
        owner=officer,
    )
    drill_record(
        plan=his,
        held_at=now - timedelta(days=60, hours=5),
        participants=[person for person in (it_head, officer, dba) if person is not None],
        activities="模拟HIS主数据库服务器宕机：切换至备用服务器，按《数据备份工作制度》用最近一次全量备份恢复数据库，"
        "门诊挂号、收费按30分钟时限转入手工操作并于恢复后补录。",
        restore_minutes=48,
        problems="备用服务器补丁版本与主服务器不一致，恢复前需先升级；门诊手工登记表存量不足。",
        improvements="每月核对主备服务器补丁版本；各窗口常备手工登记表一周用量。",
        by=officer,
    )


def _seed_incidents(it_head, officer, now):
    incident_record(
        kind=SecurityIncident.Kind.PASSWORD_LEAK,
        title="护士站工作站口令贴在显示器上",
        description="巡查发现住院部三病区护士站电脑显示器上贴有HIS登录口令便条。",
        occurred_at=now - timedelta(days=2, hours=3),
        discovered_at=now - timedelta(days=2),
        affected_systems="住院部三病区护士站工作站，HIS护士工作站账号",
        measures="当即收回便条，重置该账号口令，对该账号登录日志开启重点监控。",
        by=officer,
    )
    interruption = incident_record(
        kind=SecurityIncident.Kind.SERVICE_INTERRUPTION,
        title="医保专线中断导致医保结算中断",
        description="医保专线运营商侧光模块故障，医保实时结算中断约40分钟。",
        occurred_at=now - timedelta(days=20, hours=2),
        discovered_at=now - timedelta(days=20, hours=1, minutes=55),
        affected_systems="医院与医保中心专网、门诊收费医保结算",
        measures="门诊收费转入手工登记，启用备用4G线路监控专网状态，通知财务科、医保办。",
        by=officer,
    )
    interruption = take_step(
        interruption,
        "resolve",
        by=officer,
        resolution="运营商更换光模块后专线恢复，当日完成手工登记结算的补录。",
        resolved_at=now - timedelta(days=20, hours=1, minutes=10),
    )
    take_step(interruption, "file_report", by=it_head, report=draft_report(interruption))
