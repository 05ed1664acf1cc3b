"""Demo machine rooms with a year of daily rounds (five years at hospital scale), workstation maintenance, visitors
and items carried out."""

import datetime
import math
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User

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
from .services import take_step

ROOMS = [
    ("中心机房", "门诊综合楼五楼"),
    ("住院楼网络机房", "住院楼三楼弱电间"),
    ("灾备机房", "行政楼负一楼"),
]

# (item label, description, resolution) of the abnormal days the demo draws from.
ABNORMALITIES = [
    ("UPS电池状态", "UPS面板告警：2号电池组内阻偏高，放电时间不足15分钟。", "联系厂家更换2号电池组，放电测试正常。"),
    ("机房空调工作状态", "1号精密空调高压告警停机，备用空调已自动启动。", "厂家上门补充冷媒，空调恢复运行。"),
    ("服务器（磁盘阵列）故障指示灯", "存储阵列3号硬盘亮黄灯，阵列处于降级状态。", "更换备用硬盘，阵列重建完成。"),
    ("医院与医保中心专网", "医保专线中断约20分钟，医保结算转入手工登记。", "运营商更换光模块后恢复，已补录结算。"),
    ("交换机工作状态", "汇聚交换机一个端口频繁up/down。", "更换跳线，端口稳定。"),
    ("漏水检测", "空调下方漏水检测绳告警，地面少量积水。", "清理空调排水管堵塞，地面已擦干。"),
]

VISITORS = [
    ("赵工", "东软集团", "HIS服务器系统升级"),
    ("钱工", "华为技术服务", "核心交换机年度巡检维保"),
    ("孙工", "中国电信", "医保专线光模块更换"),
    ("李工", "山特电气", "UPS电池组检测"),
    ("周工", "消防维保公司", "气体灭火系统年检"),
    ("吴工", "浪潮信息", "存储阵列硬盘更换"),
]

OUT_OF_RANGE = {
    TemplateItem.Measure.TEMPERATURE: "精密空调制冷不足，机房温度超标，已开启备用空调并通知厂家。",
    TemplateItem.Measure.HUMIDITY: "机房湿度超出范围，已调整空调加湿/除湿设置。",
    TemplateItem.Measure.OTHER: "UPS负载偏高，已核查新增用电设备。",
}

SCALE_YEARS = {"demo": 1, "hospital": 5}


def seed(*, scale="demo", stdout=None):
    today = timezone.localdate()
    start = today - datetime.timedelta(days=365 * SCALE_YEARS.get(scale, 1))
    inspector = User.objects.get(username="it_officer")
    head = User.objects.get(username="it_head")
    rooms = []
    for name, location in ROOMS:
        room, _ = MachineRoom.objects.get_or_create(
            name=name, defaults={"location": location, "commissioned_on": start}
        )
        if room.commissioned_on > start:
            MachineRoom.objects.filter(pk=room.pk).update(commissioned_on=start)
            room.commissioned_on = start
        rooms.append(room)
    daily = InspectionTemplate.objects.get(target=InspectionTemplate.Target.MACHINE_ROOM, name="中心机房日常巡检")
    monthly = InspectionTemplate.objects.get(target=InspectionTemplate.Target.WORKSTATIONS)
    created = 0
    with transaction.atomic():
        for index, room in enumerate(rooms):
            created += _seed_daily(daily, room, start, today, random.Random(index), (inspector, head))
        created += _seed_monthly(monthly, start, today, random.Random(99), inspector)
        _seed_visits(rooms, start, today, random.Random(7), inspector, head)
        _seed_removals(rooms, today, inspector, head)
    if stdout:
        stdout.write(f"inspections: {created} rounds added")


def _periods_to_add(template, room, days):
    taken = set(InspectionRound.objects.filter(template=template, room=room).values_list("period_start", flat=True))
    taken |= set(MissedInspection.objects.filter(template=template, room=room).values_list("period_start", flat=True))
    return [day for day in days if day not in taken]


def _at(day, hour, minute):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _seed_daily(template, room, start, today, rng, people):
    version = template.current_version
    items = list(version.items.all())
    days = [start + datetime.timedelta(days=n) for n in range((today - start).days)]
    rounds, findings, missed = [], [], []
    for day in _periods_to_add(template, room, days):
        roll = rng.random()
        if roll < 0.008:
            missed.append(
                MissedInspection(template=template, room=room, period_start=day, recorded_at=_at(day, 17, 30))
            )
            continue
        abnormal = ABNORMALITIES[rng.randrange(len(ABNORMALITIES))] if roll > 0.975 else None
        hot_day = roll < 0.012
        submitted = _at(day, 8, rng.randrange(10, 59))
        inspection = InspectionRound(
            template=template,
            version=version,
            room=room,
            period_start=day,
            inspector=people[0] if rng.random() < 0.85 else people[1],
            started_at=submitted - datetime.timedelta(minutes=12),
            submitted_at=submitted,
            state=InspectionRound.State.SUBMITTED,
        )
        rounds.append(inspection)
        findings.append((inspection, day, abnormal, hot_day))
    InspectionRound.objects.bulk_create(rounds, batch_size=500)
    results = []
    for inspection, day, abnormal, hot_day in findings:
        season = math.cos((day.timetuple().tm_yday - 200) / 365 * 2 * math.pi)
        count = 0
        for item in items:
            result = _result(inspection, item, room, day, season, abnormal, hot_day, rng)
            count += result.is_abnormal
            results.append(result)
        inspection.abnormal_count = count
    RoundResult.objects.bulk_create(results, batch_size=2000)
    InspectionRound.objects.bulk_update(
        [r for r, *_ in findings if r.abnormal_count], ["abnormal_count"], batch_size=500
    )
    MissedInspection.objects.bulk_create(missed)
    return len(rounds)


def _result(inspection, item, room, day, season, abnormal, hot_day, rng):
    low, high = item.limits_in(room)
    result = RoundResult(round=inspection, item=item, low_limit=low, high_limit=high, status=RoundResult.Status.NORMAL)
    if item.kind == TemplateItem.Kind.READING:
        if item.measure == TemplateItem.Measure.TEMPERATURE:
            value = 23 + 1.5 * season + rng.gauss(0, 0.8) + (7 if hot_day else 0)
        elif item.measure == TemplateItem.Measure.HUMIDITY:
            value = 52 + 6 * season + rng.gauss(0, 3)
        else:
            value = 45 + rng.gauss(0, 5)
        result.value = Decimal(f"{value:.1f}")
        if result.is_out_of_range:
            result.status = RoundResult.Status.ABNORMAL
            result.description = OUT_OF_RANGE[item.measure]
    elif abnormal and item.label == abnormal[0]:
        result.status = RoundResult.Status.ABNORMAL
        result.description = abnormal[1]
    result.is_abnormal = result.needs_description
    if result.is_abnormal and (timezone.localdate() - day).days > 7:
        result.closed_at = _at(day, 16, 0)
        result.closed_by = inspection.inspector
        result.resolution = abnormal[2] if abnormal and item.label == abnormal[0] else "调整空调运行参数后恢复正常。"
    return result


def _seed_monthly(template, start, today, rng, inspector):
    version = template.current_version
    items = list(version.items.all())
    months = []
    month = start.replace(day=1)
    while month < today.replace(day=1):
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    rounds = []
    for month in _periods_to_add(template, None, months):
        if rng.random() < 0.05:
            MissedInspection.objects.create(template=template, room=None, period_start=month)
            continue
        done = _at(month + datetime.timedelta(days=rng.randrange(20, 27)), 15, 0)
        rounds.append(
            InspectionRound(
                template=template,
                version=version,
                room=None,
                period_start=month,
                inspector=inspector,
                started_at=done - datetime.timedelta(hours=2),
                submitted_at=done,
                state=InspectionRound.State.SUBMITTED,
            )
        )
    InspectionRound.objects.bulk_create(rounds)
    RoundResult.objects.bulk_create(
        [RoundResult(round=r, item=item, status=RoundResult.Status.NORMAL) for r in rounds for item in items],
        batch_size=2000,
    )
    return len(rounds)


def _seed_visits(rooms, start, today, rng, inspector, head):
    if Visit.objects.exists():
        return
    visits = []
    day = start
    while day < today:
        visitor, organisation, purpose = VISITORS[rng.randrange(len(VISITORS))]
        arrived = _at(day, rng.randrange(9, 15), rng.randrange(0, 59))
        visits.append(
            Visit(
                room=rooms[rng.randrange(len(rooms))],
                visitor_name=visitor,
                organisation=organisation,
                purpose=purpose,
                visit_date=day,
                items_brought="笔记本电脑一台、工具包",
                requested_by=inspector,
                requested_at=arrived - datetime.timedelta(days=1),
                approved_by=head,
                escort=inspector,
                checked_in_at=arrived,
                checked_out_at=arrived + datetime.timedelta(minutes=rng.randrange(30, 150)),
                state=Visit.State.CHECKED_OUT,
            )
        )
        day += datetime.timedelta(days=rng.randrange(5, 12))
    visits.append(
        Visit(
            room=rooms[0],
            visitor_name="钱工",
            organisation="华为技术服务",
            purpose="核心交换机固件升级",
            visit_date=today + datetime.timedelta(days=1),
            items_brought="笔记本电脑一台、串口线",
            requested_by=inspector,
        )
    )
    Visit.objects.bulk_create(visits)
    # A visitor who named forbidden items: the register records them and the approver sees the warning.
    Visit.objects.create(
        room=rooms[0],
        visitor_name="孙工",
        organisation="中国电信",
        purpose="医保专线光模块更换",
        visit_date=today + datetime.timedelta(days=1),
        items_brought="光功率计、矿泉水一瓶、录音笔",
        requested_by=inspector,
    )


def _seed_removals(rooms, today, inspector, head):
    """A failed disk carried out for the vendor (approved, then seen out) and a UPS battery awaiting approval."""
    if ItemRemoval.objects.exists():
        return
    disk = ItemRemoval.objects.create(
        room=rooms[0],
        item="故障硬盘（已消磁）",
        asset_number="XX-2021-0457",
        quantity=1,
        carrier="吴工",
        carrier_organisation="浪潮信息",
        reason="存储阵列3号硬盘故障，返厂更换",
        planned_on=today,
        requested_by=inspector,
    )
    take_step(disk, "approve", by=head, comment="同意，硬盘已消磁")
    take_step(disk, "carry_out", by=inspector)
    ItemRemoval.objects.create(
        room=rooms[0],
        item="UPS蓄电池",
        quantity=4,
        carrier="李工",
        carrier_organisation="山特电气",
        reason="更换下的旧电池回收",
        planned_on=today + datetime.timedelta(days=1),
        requested_by=inspector,
    )
