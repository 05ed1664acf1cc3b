"""Demo equipment ledger: ~300 devices over the demo departments and a machine room with racks;
at hospital scale 10,000 devices. Idempotent: asset numbers are fixed, so a rerun adds only what is missing."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import Department, User
from portal.roles import Role

from .labels import ONE_PAGE, label_sheet_generate
from .models import (
    ConfigChange,
    Equipment,
    EquipmentCategory,
    LabelSheet,
    LedgerEntry,
    Rack,
    SpareLoan,
    Stocktake,
)

DEMO_DEVICES = 300
HOSPITAL_DEVICES = 10_000
MACHINE_ROOM = "中心机房"

# category code -> (brand, model, price, supplier) choices
MODELS = {
    "pc": [
        ("联想", "启天M430", 4980, "联想(北京)有限公司"),
        ("惠普", "ProDesk 400 G7", 5200, "惠普贸易(上海)有限公司"),
        ("华为", "擎云B730", 5600, "华为技术有限公司"),
        ("同方", "超翔TL630", 4700, "同方股份有限公司"),
    ],
    "laptop": [
        ("联想", "ThinkPad E14", 6200, "联想(北京)有限公司"),
        ("华为", "MateBook D14", 5800, "华为技术有限公司"),
    ],
    "printer": [
        ("惠普", "LaserJet M403d", 2300, "惠普贸易(上海)有限公司"),
        ("奔图", "P3305DN", 1600, "珠海奔图电子有限公司"),
        ("得实", "DS-1930 针式", 2100, "得实集团"),
        ("斑马", "ZD888 标签机", 1900, "斑马技术(中国)"),
    ],
    "server": [
        ("华为", "FusionServer 2288H V6", 68000, "华为技术有限公司"),
        ("浪潮", "NF5280M6", 59000, "浪潮电子信息产业股份有限公司"),
        ("戴尔", "PowerEdge R750", 72000, "戴尔(中国)有限公司"),
    ],
    "storage": [("华为", "OceanStor 5310", 180000, "华为技术有限公司")],
    "switch": [("华为", "S5735-L48T4X", 9800, "华为技术有限公司"), ("H3C", "S6520X-30QC", 26000, "新华三技术有限公司")],
    "router": [("华为", "AR6140", 15000, "华为技术有限公司")],
    "firewall": [("深信服", "AF-1000-B1080", 45000, "深信服科技股份有限公司")],
    "ups": [("山特", "C10KS", 16000, "山特电子(深圳)有限公司")],
    "air_conditioner": [("艾默生", "Liebert PEX 25kW", 98000, "维谛技术有限公司")],
}
HEIGHT_U = {"server": 2, "storage": 4, "switch": 1, "router": 1, "firewall": 1, "ups": 3}
BUILDINGS = ["门诊楼", "住院部A栋", "住院部B栋", "医技楼", "行政楼"]
DESK_MIX = ["pc"] * 12 + ["printer"] * 4 + ["laptop"] * 2


def _asset_no(index, year):
    return f"{Equipment.ASSET_PREFIX}-{year}-{index:06d}"


def _plan(total, departments, it_department, rng):
    """Devices as dicts: first the machine room, then desks spread over the departments."""
    plan = []
    racks_plan = [
        ("A01", ["firewall", "router", "switch", "switch", "server", "server", "server", "ups"]),
        ("A02", ["server", "server", "server", "server", "storage", "switch"]),
        ("A03", ["server", "server", "storage", "switch", "switch"]),
        ("A04", ["switch", "server"]),
    ]
    for rack_name, kinds in racks_plan:
        unit = 1
        for kind in kinds:
            plan.append(
                {
                    "kind": kind,
                    "department": it_department,
                    "room": MACHINE_ROOM,
                    "building": "行政楼",
                    "floor": "5F",
                    "rack": rack_name,
                    "rack_unit": unit,
                    "status": Equipment.Status.IN_USE,
                }
            )
            unit += HEIGHT_U[kind] + 1
    plan.append(
        {
            "kind": "air_conditioner",
            "department": it_department,
            "room": MACHINE_ROOM,
            "building": "行政楼",
            "floor": "5F",
            "status": Equipment.Status.IN_USE,
        }
    )
    for _spare in range(10):
        plan.append(
            {
                "kind": rng.choice(["pc", "pc", "printer", "laptop"]),
                "department": None,
                "room": "备件库",
                "building": "行政楼",
                "floor": "5F",
                "status": Equipment.Status.SPARE,
            }
        )
    for _stock in range(6):
        plan.append(
            {
                "kind": rng.choice(DESK_MIX),
                "department": None,
                "room": "备件库",
                "building": "行政楼",
                "floor": "5F",
                "status": Equipment.Status.IN_STOCK,
            }
        )
    index = 0
    while len(plan) < total:
        department = departments[index % len(departments)]
        building = BUILDINGS[sum(map(ord, department.code)) % len(BUILDINGS)]
        floor = f"{(index % 6) + 1}F"
        status = Equipment.Status.IN_USE
        roll = rng.random()
        if roll < 0.02:
            status = Equipment.Status.UNDER_REPAIR
        elif roll < 0.03:
            status = Equipment.Status.SCRAPPED
        plan.append(
            {
                "kind": rng.choice(DESK_MIX),
                "department": department,
                "building": building,
                "floor": floor,
                "room": f"{floor[:-1]}{(index % 20) + 1:02d}室",
                "status": status,
            }
        )
        index += 1
    return plan


def seed(*, scale="demo", stdout=None):
    rng = random.Random(2026)
    total = HOSPITAL_DEVICES if scale == "hospital" else DEMO_DEVICES
    categories = {category.code: category for category in EquipmentCategory.objects.all()}
    departments = list(Department.objects.filter(is_active=True).order_by("code"))
    it_department = Department.objects.get(code="XXK")
    officer = User.objects.get(username=Role.IT_OFFICER)
    staff = User.objects.get(username=Role.STAFF)
    racks = {}
    for name in ("A01", "A02", "A03", "A04"):
        racks[name], _ = Rack.objects.get_or_create(room=MACHINE_ROOM, name=name, defaults={"height_u": 42})

    plan = _plan(total, departments, it_department, rng)
    today = timezone.localdate()
    existing = set(
        Equipment.objects.filter(asset_no__startswith=f"{Equipment.ASSET_PREFIX}-20").values_list("asset_no", flat=True)
    )
    new_devices = []
    for index, row in enumerate(plan, start=1):
        bought = date(2018, 1, 10) + timedelta(days=(index * 37) % 2900)
        year = min(bought.year, 2025)
        asset_no = _asset_no(index, year)
        if asset_no in existing:
            continue
        brand, model_name, price, supplier = rng.choice(MODELS[row["kind"]])
        warranty_years = 5 if row["kind"] in HEIGHT_U or row["kind"] == "air_conditioner" else 3
        department = row["department"]
        in_rack = row.get("rack")
        new_devices.append(
            Equipment(
                asset_no=asset_no,
                category=categories[row["kind"]],
                brand=brand,
                model_name=model_name,
                serial_no=f"SN{year % 100:02d}{index:07d}",
                department=department,
                custodian=(
                    officer
                    if department == it_department
                    else staff
                    if department and department.code == "NK" and row["kind"] == "pc"
                    else None
                ),
                building=row["building"],
                floor=row["floor"],
                room=row["room"],
                ip_address=f"10.{10 + index // 60000}.{(index // 250) % 250}.{index % 250 + 2}"
                if row["kind"] != "air_conditioner"
                else None,
                purchase_date=bought,
                price=Decimal(price),
                supplier=supplier,
                warranty_end=bought + timedelta(days=365 * warranty_years - 1),
                status=row["status"],
                rack=racks[in_rack] if in_rack else None,
                rack_unit=row.get("rack_unit"),
                height_u=HEIGHT_U.get(row["kind"], 1),
                created_at=timezone.now() - timedelta(days=(today - bought).days),
            )
        )
    with transaction.atomic():
        bulk_create_with_history(new_devices, Equipment, batch_size=1000, default_user=officer)
        LedgerEntry.objects.bulk_create(
            [
                LedgerEntry(
                    equipment=device,
                    kind=LedgerEntry.Kind.REGISTER,
                    to_status=device.status,
                    to_department=device.department,
                    to_location=device.location,
                    actor=officer,
                    reason="台账初始化",
                    created_at=device.created_at,
                )
                for device in new_devices
            ],
            batch_size=1000,
        )
    if stdout and new_devices:
        stdout.write(f"  {len(new_devices)} devices")
    _seed_workflows(today, officer)


def _seed_workflows(today, officer):
    """A few open items so each page and the dashboard have something to show."""
    spares = list(Equipment.objects.filter(status=Equipment.Status.SPARE).order_by("asset_no")[:3])
    if not SpareLoan.objects.exists() and len(spares) >= 2:
        for spare, department, days_out, due in ((spares[0], "WK", 12, -3), (spares[1], "EK", 2, 5)):
            Equipment.objects.filter(pk=spare.pk).update(status=Equipment.Status.ON_LOAN)
            SpareLoan.objects.create(
                spare=spare,
                department=Department.objects.get(code=department),
                handler=officer,
                lent_at=timezone.now() - timedelta(days=days_out),
                expected_return=today + timedelta(days=due),
                reason="报修期间临时替换",
            )
            LedgerEntry.objects.create(
                equipment=spare,
                kind=LedgerEntry.Kind.LEND,
                from_status="spare",
                to_status="on_loan",
                actor=officer,
                reason=f"借给{department}",
            )
    server = Equipment.objects.filter(category__code="server", rack__isnull=False).order_by("asset_no").first()
    if server and not ConfigChange.objects.exists():
        ConfigChange.objects.create(
            equipment=server,
            kind=ConfigChange.Kind.CABLING,
            description="新增万兆上联至核心交换机 A01-U8 端口 24",
            reason="HIS 数据库带宽扩容",
            operator=officer,
            performed_at=timezone.now() - timedelta(days=20),
        )
        ConfigChange.objects.create(
            equipment=server,
            kind=ConfigChange.Kind.PARAMETER,
            description="数据库实例内存上限由 64GB 调整为 96GB",
            reason="月末结算高峰内存不足",
            operator=officer,
            state=ConfigChange.State.PENDING_APPROVAL,
        )
        ConfigChange.objects.create(
            equipment=server,
            kind=ConfigChange.Kind.PART,
            description="更换 2 号电源模块(同型号 900W)",
            reason="电源模块告警,冗余失效",
            operator=officer,
            state=ConfigChange.State.PENDING_LEADER,
        )
    own = list(Equipment.objects.filter(department__code="XXK").order_by("asset_no").values_list("pk", flat=True))
    if len(own) > ONE_PAGE and not LabelSheet.objects.exists():
        # The IT department's own labels, more than a page, laid out as the worker lays them out.
        sheet = LabelSheet.objects.create(requested_by=officer, devices=own, device_count=len(own))
        label_sheet_generate(sheet)
    if not Equipment.objects.filter(status=Equipment.Status.PENDING_SCRAP).exists():
        old = Equipment.objects.filter(status=Equipment.Status.UNDER_REPAIR).order_by("asset_no").first()
        if old:
            Equipment.objects.filter(pk=old.pk).update(
                status=Equipment.Status.PENDING_SCRAP,
                resume_status=Equipment.Status.UNDER_REPAIR,
                scrap_requested_by=officer,
            )
            LedgerEntry.objects.create(
                equipment=old,
                kind=LedgerEntry.Kind.REQUEST_SCRAP,
                from_status="under_repair",
                to_status="pending_scrap",
                actor=officer,
                reason="主板损坏,维修费用高于残值",
            )
    if not Stocktake.objects.exists():
        from .services import stocktake_count, stocktake_open, take_step

        nk = Department.objects.get(code="NK")
        stocktake = stocktake_open(scope=Stocktake.Scope.DEPARTMENT, department=nk, by=officer)
        for item in stocktake.items.all()[1:]:
            stocktake_count(stocktake=stocktake, asset_no=item.asset_no, by=officer)
        take_step(stocktake, "close", by=officer, comment="季度盘点")
