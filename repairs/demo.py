"""Demo repair tickets: ~150 over the last months in every state; at hospital scale 100 a day for five years.

Past tickets are written in bulk with their timestamps; the few still in hand send their devices to
repair and borrow a spare through the ledger's own services, so the ledger and the tickets agree.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from accounts.models import Department, User
from inventory.models import Equipment
from inventory.services import spare_loan_create, take_step
from portal.models import NumberSequence, TransitionLog
from portal.people import people_with
from portal.roles import IT_ROLES, Role

from . import services
from .effects import notify_insurance_departments
from .models import (
    Escalation,
    FailureReport,
    FaultCategory,
    FaultClass,
    PartRequestLine,
    RepairSettings,
    RepairTicket,
)

DEMO_DAYS = 120
DEMO_TICKETS = 150
HOSPITAL_YEARS = 5
HOSPITAL_PER_DAY = 100
BATCH = 2000
State = RepairTicket.State

# category, description, cause, action taken
FAULTS = [
    ("hardware", "电脑开机无显示，主机指示灯亮，风扇转动。", "内存条接触不良", "清理内存金手指并重新插拔，开机正常"),
    ("hardware", "主机频繁蓝屏重启，影响医生开医嘱。", "硬盘坏道", "更换固态硬盘并恢复系统镜像"),
    ("hardware", "显示器闪烁、偶尔黑屏。", "显示器电源板老化", "更换备用显示器，原显示器送修"),
    ("printer", "打印机卡纸，取出后仍提示卡纸。", "进纸传感器积灰", "清洁传感器和搓纸轮，打印测试正常"),
    ("printer", "腕带打印机打印字迹模糊。", "打印头老化", "更换打印头并校准"),
    ("printer", "发票打印机不能打印，提示脱机。", "打印服务停止", "重启打印服务并重新安装驱动"),
    ("network", "护士站两台电脑不能上网，HIS登录超时。", "接入交换机端口故障", "更换交换机端口并调整跳线"),
    ("network", "科室网口无信号。", "墙面模块损坏", "重新打模块并测试连通"),
    ("software", "电脑开机很慢，杀毒软件提示病毒。", "感染蠕虫病毒", "查杀病毒并安装补丁"),
    ("software", "医保读卡器驱动丢失，无法读社保卡。", "系统更新覆盖驱动", "重新安装读卡器驱动"),
    ("application", "HIS门诊医生站开处方时提示保存失败。", "客户端版本过旧", "升级客户端并清理缓存"),
    ("application", "LIS检验报告不能打印。", "报表模板配置错误", "修正报表模板"),
    ("application", "PACS影像调阅很慢，打开一个CT序列要两分钟。", "影像缓存盘已满", "清理缓存并调整缓存策略"),
    ("other", "医保结算时提示医保中心连接失败。", "医保专线运营商侧中断", "联系运营商恢复线路，补录结算"),
]
CLASS_1_FAULTS = [
    (
        "network",
        "住院楼整层网络中断，护士站、医生站均无法登录HIS。",
        "汇聚交换机电源模块损坏",
        "启用备用交换机，更换电源模块",
    ),
    (
        "application",
        "HIS数据库服务器无响应，全院挂号收费停止。",
        "数据库服务器存储链路故障",
        "切换到备用链路，重启数据库服务",
    ),
]
OPERATOR_FAULTS = [
    ("application", "不会在HIS里打印病历首页。", "操作不熟悉", "现场指导操作步骤"),
    ("software", "误删桌面HIS快捷方式。", "操作失误", "重建快捷方式并讲解"),
]
VENDORS = ["联想服务站", "惠普授权维修中心", "戴尔售后", "东软集团", "浪潮信息"]
PARTS = [
    ("内存条 8G DDR4", Decimal("260.00")),
    ("固态硬盘 512G", Decimal("420.00")),
    ("电源 300W", Decimal("180.00")),
    ("打印头", Decimal("650.00")),
]
# The emergency plan's departments (001 八(四), 八(五)2) by demo department code; 24 h: the whole hospital.
INSURANCE_DEPARTMENTS = ("CWK", "YBB", "MZB")
FALLBACK_DEPARTMENTS = {
    "30m": ("MZB", "YJK", "CWK"),
    "6h": ("NK", "WK", "EK", "FCK", "ICU", "HLB", "SSS", "JYK", "FSK", "CSK", "BLK"),
}
COMMENTS = ["维修及时，态度很好。", "很快修好了，谢谢。", "", "来得有点慢。", "问题已解决。"]
# The demo's spread of final states; the rest are closed.
RECENT_STATES = [
    (State.SUBMITTED, 6),
    (State.DISPATCHED, 6),
    (State.ON_SITE, 6),
    (State.WAITING_VENDOR, 4),
    (State.WAITING_PARTS, 4),
    (State.REPAIRED, 10),
    (State.CONFIRMED, 14),
    (State.CANCELLED, 6),
]


def seed(*, scale="demo", stdout=None):
    settings_row = RepairSettings.current()
    _configure_departments(settings_row)
    context = _Context(settings_row)
    if not context.reporters:
        return
    if (
        scale == "hospital"
        and not RepairTicket.objects.filter(reported_at__lt=timezone.now() - timedelta(days=DEMO_DAYS + 1)).exists()
    ):
        created = _seed_history(context)
        if stdout:
            stdout.write(f"repairs: {created} past tickets")
    if not RepairTicket.objects.filter(reported_at__gte=timezone.now() - timedelta(days=DEMO_DAYS)).exists():
        created = _seed_recent(context)
        if stdout:
            stdout.write(f"repairs: {created} recent tickets")


def _configure_departments(settings_row):
    """财务科, 医保办 and 门诊部 coordinate insurance faults; the plan's departments go manual at each milestone."""
    if settings_row.insurance_departments.exists():
        return
    settings_row.insurance_departments.set(Department.objects.filter(code__in=INSURANCE_DEPARTMENTS))
    for key, codes in FALLBACK_DEPARTMENTS.items():
        getattr(settings_row, f"fallback_{key}_departments").set(Department.objects.filter(code__in=codes))
    settings_row.fallback_24h_departments.set(Department.objects.filter(is_active=True))


class _Context:
    def __init__(self, settings_row):
        self.rng = random.Random(4)
        self.settings = settings_row
        self.officers = list(people_with(*IT_ROLES).order_by("pk"))
        self.officer = User.objects.filter(username=Role.IT_OFFICER).first() or (
            self.officers[0] if self.officers else None
        )
        self.reporters = {}
        for user_id, department_id in User.objects.filter(is_active=True, department__isnull=False).values_list(
            "pk", "department_id"
        ):
            self.reporters.setdefault(department_id, []).append(user_id)
        self.devices = {}
        for device_id, department_id in (
            Equipment.objects.active().filter(department__isnull=False).values_list("pk", "department_id")
        ):
            self.devices.setdefault(department_id, []).append(device_id)
        self.departments = list(Department.objects.filter(pk__in=self.reporters).values_list("pk", flat=True))
        demo_department = Department.objects.filter(code="NK").first()
        self.demo_department = demo_department.pk if demo_department else self.departments[0]
        self.numbers = {}

    def number(self, reported_at):
        year = timezone.localtime(reported_at).year
        if year not in self.numbers:
            row = NumberSequence.objects.filter(key=f"BX-{year}").first()
            self.numbers[year] = row.last_value if row else 0
        self.numbers[year] += 1
        return f"BX-{year}-{self.numbers[year]:06d}"

    def save_numbers(self):
        for year, value in self.numbers.items():
            NumberSequence.objects.update_or_create(key=f"BX-{year}", defaults={"last_value": value})

    def ticket(self, reported_at, state, *, department_id=None, device_id=None, with_device=True):
        rng = self.rng
        department_id = department_id or rng.choice(self.departments)
        roll = rng.random()
        if roll < 0.02:
            fault_class, fault = FaultClass.CLASS_1, rng.choice(CLASS_1_FAULTS)
        elif roll < 0.12:
            fault_class, fault = FaultClass.CLASS_3, rng.choice(OPERATOR_FAULTS)
        else:
            fault = rng.choice(FAULTS)
            fault_class = FaultClass.OTHER if fault[0] == "other" else FaultClass.CLASS_2
        category, description, cause, action = fault
        devices = self.devices.get(department_id, [])
        if with_device and device_id is None and devices and category in ("hardware", "printer", "software"):
            device_id = rng.choice(devices)
        ticket = RepairTicket(
            department_id=department_id,
            reporter_id=rng.choice(self.reporters[department_id]),
            contact_phone=f"8{rng.randint(1000, 9999)}",
            equipment_id=device_id,
            device_description="" if device_id else "科室电脑/网络",
            category=category,
            fault_class=fault_class,
            description=description,
            reported_at=reported_at,
            state=state,
        )
        ticket.set_due_times(self.settings.limits(fault_class))
        if state in (State.SUBMITTED, State.CANCELLED):
            if state == State.CANCELLED:
                ticket.closed_at = reported_at + timedelta(minutes=rng.randint(5, 60))
            return ticket
        officer = rng.choice(self.officers)
        _response, _repair = self.settings.limits(fault_class)
        ticket.assignee = officer
        ticket.dispatched_at = reported_at + timedelta(minutes=rng.randint(2, 20))
        if state == State.DISPATCHED:
            return ticket
        ticket.arrived_at = ticket.dispatched_at + timedelta(minutes=rng.randint(5, 90))
        ticket.response_seconds = int((ticket.arrived_at - reported_at).total_seconds())
        ticket.response_met = ticket.arrived_at <= ticket.response_due
        if state in RepairTicket.IN_HAND_STATES:
            if state in RepairTicket.WAITING_STATES:
                ticket.paused_since = ticket.arrived_at + timedelta(minutes=30)
                if state == State.WAITING_VENDOR:
                    ticket.vendor, ticket.rma_no = rng.choice(VENDORS), f"RMA{rng.randint(100000, 999999)}"
            return ticket
        if rng.random() < 0.1:
            ticket.paused_seconds = rng.randint(1, 3) * 86400
            ticket.vendor = rng.choice(VENDORS)
            ticket.repair_due += timedelta(seconds=ticket.paused_seconds)
        worked = timedelta(minutes=int(rng.lognormvariate(4.6, 0.9)))
        ticket.repaired_at = ticket.arrived_at + worked + timedelta(seconds=ticket.paused_seconds)
        ticket.repaired_by = officer
        ticket.repair_seconds = int((ticket.repaired_at - reported_at).total_seconds()) - ticket.paused_seconds
        ticket.repair_met = ticket.repaired_at <= ticket.repair_due
        ticket.cause, ticket.action_taken = cause, action
        ticket.reopen_count = 1 if rng.random() < 0.06 else 0
        if state == State.REPAIRED:
            return ticket
        ticket.confirmed_at = ticket.repaired_at + timedelta(hours=rng.randint(1, 30))
        ticket.confirmed_by_id = ticket.reporter_id
        ticket.satisfaction = rng.choices([5, 4, 3, 2, 1], weights=[60, 25, 9, 4, 2])[0]
        ticket.confirmation_comment = rng.choice(COMMENTS)
        if state == State.CLOSED:
            ticket.closed_at = ticket.confirmed_at + timedelta(hours=rng.randint(1, 20))
        return ticket


def _seed_history(context):
    """Five years at 100 tickets a day, all finished, written in bulk."""
    rng = context.rng
    now = timezone.now()
    start = now - timedelta(days=365 * HOSPITAL_YEARS)
    end = now - timedelta(days=DEMO_DAYS + 1)
    day_seconds = 86400
    total = 0
    batch = []
    day = start
    while day < end:
        for _ in range(HOSPITAL_PER_DAY):
            reported_at = day + timedelta(seconds=rng.randint(7 * 3600, day_seconds - 3600))
            state = State.CANCELLED if rng.random() < 0.03 else State.CLOSED
            batch.append(context.ticket(reported_at, state))
        if len(batch) >= BATCH:
            total += _flush(batch, context)
        day += timedelta(days=1)
    total += _flush(batch, context)
    context.save_numbers()
    return total


def _flush(batch, context):
    batch.sort(key=lambda ticket: ticket.reported_at)
    for ticket in batch:
        ticket.number = context.number(ticket.reported_at)
    RepairTicket.objects.bulk_create(batch, batch_size=BATCH)
    count = len(batch)
    batch.clear()
    return count


@transaction.atomic
def _seed_recent(context):
    """~150 tickets over the last months, in every state, with their processing log."""
    rng = context.rng
    now = timezone.now()
    plan = [state for state, count in RECENT_STATES for _ in range(count)]
    plan += [State.CLOSED] * (DEMO_TICKETS - len(plan))
    used_devices = set(
        RepairTicket.objects.open().filter(equipment__isnull=False).values_list("equipment_id", flat=True)
    )
    tickets = []
    for index, state in enumerate(plan):
        finished = state in (State.CLOSED, State.CONFIRMED, State.CANCELLED)
        if finished:
            reported_at = now - timedelta(days=rng.uniform(3, DEMO_DAYS - 1), hours=rng.uniform(0, 10))
        elif state == State.REPAIRED:
            reported_at = now - timedelta(days=rng.uniform(1, 5))
        else:
            reported_at = now - timedelta(hours=rng.uniform(0.3, 60))
        # Half of the open tickets are the demo login's own department, so staff and dept_head see work.
        department_id = context.demo_department if index % 2 == 0 else None
        ticket = context.ticket(reported_at, state, department_id=department_id)
        if ticket.equipment_id and not finished:
            if ticket.equipment_id in used_devices:
                ticket.equipment_id, ticket.device_description = None, "科室电脑"
            used_devices.add(ticket.equipment_id)
        tickets.append(ticket)
    _flush(tickets, context)
    context.save_numbers()
    saved = list(RepairTicket.objects.filter(reported_at__gte=now - timedelta(days=DEMO_DAYS + 1)).order_by("pk"))
    _write_logs(saved)
    _write_details(saved, context, now)
    return len(saved) + _seed_policy_examples(context, now)


def _seed_policy_examples(context, now):
    """One of each rule's records, through the services where a service makes them: a ticket the IT head closed
    without the department's confirmation, a class 1 fault past its manual-fallback milestones, and a
    medical-insurance line fault routed to the coordinating departments."""
    it_head = people_with(Role.IT_HEAD).order_by("pk").first()
    officer = context.officer
    if it_head is None or officer is None:
        return 0
    department = Department.objects.get(pk=context.demo_department)
    reporter = User.objects.filter(pk__in=context.reporters[department.pk]).order_by("pk").first()
    examples = []
    for reported_at, state, fault_class, category, description, device in (
        (now - timedelta(days=30), State.REPAIRED, FaultClass.CLASS_2, "printer", "门诊处方打印机不进纸。", "打印机"),
        (now - timedelta(hours=7), State.ON_SITE, FaultClass.CLASS_1, "network", "门诊楼核心交换机宕机，门诊挂号、收费全部中断。", "核心交换机"),
        (now - timedelta(hours=2), State.DISPATCHED, FaultClass.OTHER, FaultCategory.INSURANCE_LINE, "医保结算提示连接医保中心超时，门诊、住院均无法医保结算。", "医保专线路由器"),
    ):  # fmt: skip
        ticket = RepairTicket(
            department=department,
            reporter=reporter,
            contact_phone="81234",
            device_description=device,
            category=category,
            fault_class=fault_class,
            description=description,
            reported_at=reported_at,
            state=State.SUBMITTED,
        )
        ticket.set_due_times(context.settings.limits(fault_class))
        ticket.number = context.number(reported_at)
        ticket.save()
        context.save_numbers()
        ticket = services.ticket_transition(ticket, "dispatch", by=officer, assignee=officer)
        if state != State.DISPATCHED:
            ticket = services.ticket_transition(ticket, "arrive", by=officer)
        examples.append((ticket, state))
    unconfirmed, _class_1, insurance = (ticket for ticket, _state in examples)
    unconfirmed = services.ticket_transition(
        unconfirmed, "repair", by=officer, cause="搓纸轮磨损", action_taken="更换搓纸轮，打印测试正常"
    )
    RepairTicket.objects.filter(pk=unconfirmed.pk).update(repaired_at=now - timedelta(days=29))
    services.remind_unconfirmed_repairs(now=now)
    services.ticket_transition(
        unconfirmed,
        "close_unconfirmed",
        by=it_head,
        comment="科室两周内经提醒和科室负责人催办仍未确认，电话回访设备使用正常，行政关闭。",
    )
    services.announce_fallback_milestones(now=now)
    notify_insurance_departments(insurance)
    return len(examples)


STEPS = [
    ("dispatch", State.SUBMITTED, State.DISPATCHED, "dispatched_at", "assignee"),
    ("arrive", State.DISPATCHED, State.ON_SITE, "arrived_at", "assignee"),
    ("repair", State.ON_SITE, State.REPAIRED, "repaired_at", "repaired_by"),
    ("confirm", State.REPAIRED, State.CONFIRMED, "confirmed_at", "confirmed_by"),
]


def _write_logs(tickets):
    content_type = ContentType.objects.get_for_model(RepairTicket)
    officer_of_closing = User.objects.filter(username=Role.IT_OFFICER).first()
    logs = []

    def log(ticket, action, from_state, to_state, actor_id, created_at, comment=""):
        logs.append(
            TransitionLog(
                content_type=content_type,
                object_id=ticket.pk,
                action=action,
                from_state=from_state,
                to_state=to_state,
                actor_id=actor_id,
                created_at=created_at,
                comment=comment,
            )
        )

    for ticket in tickets:
        for action, source, target, moment, actor in STEPS:
            when = getattr(ticket, moment)
            if when is None:
                break
            comment = ticket.confirmation_comment if action == "confirm" else ""
            log(ticket, action, source, target, getattr(ticket, f"{actor}_id"), when, comment)
        if ticket.state in RepairTicket.WAITING_STATES:
            action = ticket.state.replace("waiting", "wait")
            log(ticket, action, State.ON_SITE, ticket.state, ticket.assignee_id, ticket.paused_since)
        if ticket.state == State.CLOSED:
            closer = officer_of_closing.pk if officer_of_closing else None
            log(ticket, "close", State.CONFIRMED, State.CLOSED, closer, ticket.closed_at)
        if ticket.state == State.CANCELLED:
            comment = "重启后已恢复，取消报修。"
            log(ticket, "cancel", State.SUBMITTED, State.CANCELLED, ticket.reporter_id, ticket.closed_at, comment)
    TransitionLog.objects.record(*logs)


def _write_details(tickets, context, now):
    """Parts for the parts waits, failure reports for past class-1 faults, escalations for breached clocks,
    and the ledger's side: devices in hand are under repair, one borrows a spare."""
    rng = context.rng
    for ticket in tickets:
        if ticket.state == State.WAITING_PARTS:
            part, cost = rng.choice(PARTS)
            PartRequestLine.objects.create(ticket=ticket, part=part, quantity=1, unit_cost=cost)
        if ticket.is_class_1 and ticket.state in (State.CONFIRMED, State.CLOSED):
            FailureReport.objects.create(
                ticket=ticket,
                cause=ticket.cause,
                timeline=f"{timezone.localtime(ticket.reported_at):%m-%d %H:%M} 报告故障；{timezone.localtime(ticket.repaired_at):%m-%d %H:%M} 恢复。",
                measures="增加备用设备巡检频次，完善应急切换演练。",
                filed_by=ticket.repaired_by,
                filed_at=ticket.repaired_at + timedelta(days=1),
            )
        if ticket.state in RepairTicket.UNRESOLVED_STATES and ticket.paused_since is None and ticket.repair_due < now:
            Escalation.objects.get_or_create(
                ticket=ticket,
                clock=Escalation.Clock.REPAIR,
                level=Escalation.Level.HANDLER,
                defaults={"escalated_at": ticket.repair_due},
            )
            RepairTicket.objects.filter(pk=ticket.pk).update(repair_escalation=1)
    officer = context.officer
    if officer is None:
        return
    in_hand = [t for t in tickets if t.state in RepairTicket.IN_HAND_STATES and t.equipment_id]
    for ticket in in_hand:
        device = Equipment.objects.get(pk=ticket.equipment_id)
        if device.status in (Equipment.Status.IN_USE, Equipment.Status.IN_STOCK, Equipment.Status.SPARE):
            take_step(device, "send_to_repair", by=officer, comment=f"报修单 {ticket.number}")
            RepairTicket.objects.filter(pk=ticket.pk).update(equipment_sent=True)
    spare = Equipment.objects.filter(status=Equipment.Status.SPARE).order_by("pk").first()
    waiting = next((t for t in tickets if t.state == State.WAITING_VENDOR), None)
    if spare is not None and waiting is not None:
        loan = spare_loan_create(
            spare=spare,
            department=waiting.department,
            by=officer,
            expected_return=timezone.localdate() + timedelta(days=10),
            reason=f"报修单 {waiting.number}",
            borrower=waiting.reporter,
        )
        RepairTicket.objects.filter(pk=waiting.pk).update(spare_loan=loan)
