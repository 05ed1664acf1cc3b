"""Each app's report section against hand-counted fixtures: the numbers a leader would read."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from inventory.models import Equipment, EquipmentCategory
from repairs.models import FaultCategory, FaultClass, RepairTicket
from tests.inventory.factories import EquipmentFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")
Q1 = (date(2026, 1, 1), date(2026, 3, 31))


def _rows(table):
    return {row[0]: row[1:] for row in table.rows}


def _kpis(section):
    return {kpi.label: kpi for kpi in section.kpis}


@pytest.fixture
def ledger(department, other_department):
    """内科: 3 PCs in use and 1 printer in use; 外科: 1 PC in use; in stock: 1 spare PC; 1 scrapped PC."""
    pc, _ = EquipmentCategory.objects.get_or_create(code="pc", defaults={"name": "台式电脑"})
    printer, _ = EquipmentCategory.objects.get_or_create(code="printer", defaults={"name": "打印机"})
    EquipmentFactory.create_batch(3, category=pc, status=Equipment.Status.IN_USE, department=department, price=5000)
    EquipmentFactory(category=printer, status=Equipment.Status.IN_USE, department=department, price=1200)
    EquipmentFactory(category=pc, status=Equipment.Status.IN_USE, department=other_department, price=5000)
    EquipmentFactory(category=pc, status=Equipment.Status.SPARE, price=4000)
    EquipmentFactory(category=pc, status=Equipment.Status.SCRAPPED, price=3000)
    return pc.name, printer.name


def test_equipment_section_counts_the_ledger(ledger, department):
    from inventory.report import section

    pc, printer = ledger
    built = section(*Q1)
    assert built.title == "设备"
    by_status = _rows(built.table("by-status"))
    label = lambda status: str(status.label)  # noqa: E731
    assert by_status[label(Equipment.Status.IN_USE)] == [5]
    assert by_status[label(Equipment.Status.SPARE)] == [1] and by_status[label(Equipment.Status.SCRAPPED)] == [1]
    assert built.table("by-status").total == ["合计", 7]
    by_category = _rows(built.table("by-category"))
    assert by_category[pc][0] == 5 and float(by_category[printer][1]) == 1200
    assert built.table("by-category").total[1] == 6
    by_department = _rows(built.table("by-department"))
    assert by_department["内科"] == [4, 4] and by_department["外科"] == [1, 1]
    assert _kpis(built)["台账设备数"].value == 6

    own = section(*Q1, department)
    assert own.table("by-status").total == ["合计", 4]
    assert list(_rows(own.table("by-department"))) == ["内科"]


def _ticket(number, department, reporter, reported_at, **fields):
    return RepairTicket(
        number=number,
        department=department,
        reporter=reporter,
        contact_phone="8001",
        device_description="门诊电脑",
        category=fields.pop("category", FaultCategory.HARDWARE),
        description="无法开机",
        reported_at=reported_at,
        response_due=reported_at + timedelta(hours=1),
        repair_due=reported_at + timedelta(hours=6),
        **fields,
    )


@pytest.fixture
def tickets(make_user, department):
    reporter = make_user("staff")
    at = lambda *args: datetime(*args, tzinfo=SHANGHAI)  # noqa: E731
    RepairTicket.objects.bulk_create(
        [
            _ticket(
                "BX-1",
                department,
                reporter,
                at(2026, 1, 10, 10),
                fault_class=FaultClass.CLASS_1,
                response_seconds=600,
                repair_seconds=3600,
                response_met=True,
                repair_met=True,
                repaired_at=at(2026, 1, 10, 11),
                satisfaction=5,
                state=RepairTicket.State.CONFIRMED,
            ),
            _ticket(
                "BX-2",
                department,
                reporter,
                at(2026, 2, 1, 9),
                fault_class=FaultClass.CLASS_2,
                category=FaultCategory.PRINTER,
                response_seconds=1200,
                repair_seconds=7200,
                response_met=True,
                repair_met=False,
                repaired_at=at(2026, 2, 1, 11),
                reopen_count=1,
                satisfaction=3,
                state=RepairTicket.State.CONFIRMED,
            ),
            # 15:30 UTC on 31 March is 23:30 in the hospital: still the first quarter.
            _ticket(
                "BX-3",
                department,
                reporter,
                datetime(2026, 3, 31, 15, 30, tzinfo=UTC),
                fault_class=FaultClass.CLASS_2,
                category=FaultCategory.NETWORK,
                response_seconds=1800,
                response_met=False,
                state=RepairTicket.State.ON_SITE,
            ),
            # 16:30 UTC on 31 March is 00:30 on 1 April in the hospital: the second quarter.
            _ticket("BX-4", department, reporter, datetime(2026, 3, 31, 16, 30, tzinfo=UTC)),
            _ticket("BX-5", department, reporter, at(2025, 11, 5, 9), fault_class=FaultClass.CLASS_3),
            _ticket("BX-6", department, reporter, at(2025, 2, 2, 9), fault_class=FaultClass.CLASS_1),
            _ticket("BX-7", department, reporter, at(2026, 3, 1, 9), state=RepairTicket.State.CANCELLED),
        ]
    )


def test_repairs_section_counts_the_quarter(tickets):
    from repairs.report import section

    built = section(*Q1)
    assert built.title == "设备维修"
    by_class = built.table("by-class")
    assert by_class.total == ["合计", 3, 1, 1]
    assert [row[1] for row in by_class.rows] == [1, 2, 0, 0]
    kpis = _kpis(built)
    tickets_kpi = built.kpis[0]
    assert (tickets_kpi.value, tickets_kpi.previous, tickets_kpi.last_year) == (3, 1, 1)
    assert tickets_kpi.change_previous == 200.0
    times = _rows(built.table("times"))
    assert times["响应时间"] == [3, 20.0, 30.0]
    assert times["修复时间"] == [2, 60.0, 120.0]
    assert kpis["响应及时率"].value == 66.7 and kpis["修复及时率"].value == 50.0
    assert kpis["一次修复率"].value == 50.0
    assert kpis["平均满意度（1–5）"].value == 4.0
    assert _rows(built.table("by-department")) == {"内科": [3]}
    assert built.table("satisfaction").total == ["合计", 2]


class FakeStats:
    """Hand-set results per period, so a section's mapping and comparisons are checked exactly."""

    def __init__(self, monkeypatch, module, **functions):
        for name, by_start in functions.items():
            monkeypatch.setattr(module, name, lambda start, end, *rest, _r=by_start: _r[start])


def _per_period(now, previous, last_year):
    return {date(2026, 1, 1): now, date(2025, 10, 1): previous, date(2025, 1, 1): last_year}


def test_backups_section(monkeypatch):
    from backups import report, stats

    FakeStats(
        monkeypatch,
        stats,
        backup_success_rate=_per_period(
            {"total": 90, "succeeded": 87, "rate": 0.9667},
            {"total": 80, "succeeded": 80, "rate": 1.0},
            {"total": 0, "succeeded": 0, "rate": None},
        ),
        verifications_done_vs_due=_per_period({"done": 12, "due": 13}, {"done": 13, "due": 13}, {"done": 0, "due": 13}),
        verification_pass_rate=_per_period(
            {"total": 12, "passed": 11, "failed": 1, "rate": 0.9167},
            {"total": 13, "passed": 13, "failed": 0, "rate": 1.0},
            {"total": 0, "passed": 0, "failed": 0, "rate": None},
        ),
        median_restore_seconds=_per_period(42.5, 40.0, None),
        backup_volume_bytes=_per_period(3 * 1024**3, 0, 0),
    )
    monkeypatch.setattr(stats, "targets_out_of_policy", lambda: {"count": 1, "targets": ["HIS 主库"], "in_use": 6})
    built = report.section(*Q1)
    kpis = _kpis(built)
    assert built.title == "数据备份"
    assert (kpis["备份成功率"].value, kpis["备份成功率"].previous) == (96.7, 100.0)
    assert kpis["当前不符合备份方案的备份对象"].value == 1
    assert built.table("runs").rows == [[90, 87, 96.7, 3.0]]
    assert built.table("verifications").rows == [[13, 12, 11, 1, 91.7, 42.5]]
    assert built.table("out-of-policy").rows == [["HIS 主库"]]
    assert report.section(*Q1, department=object()) is None


def test_inspections_section(monkeypatch):
    from inspections import report, stats

    rooms = [
        {"room": "中心机房", "done": 89, "missed": 1, "due": 90, "rate": 98.9},
        {"room": None, "done": 3, "missed": 0, "due": 3, "rate": 100.0},
    ]
    FakeStats(
        monkeypatch,
        stats,
        compliance_rate=_per_period(
            {"done": 92, "due": 93, "rate": 98.9, "rooms": rooms},
            {"done": 93, "due": 93, "rate": 100.0, "rooms": []},
            {"done": 0, "due": 0, "rate": None, "rooms": []},
        ),
        missed_rounds=_per_period([{"room__name": "中心机房", "template__name": "机房日巡检", "count": 1}], [], []),
        abnormal_items_by_group=_per_period([{"group": "power", "label": "供电/UPS", "count": 2, "open": 1}], [], []),
        reading_summary=_per_period(
            [
                {
                    "room": "中心机房",
                    "measure": "temperature",
                    "minimum": 19,
                    "maximum": 27,
                    "mean": 22.4,
                    "readings": 90,
                }
            ],
            [],
            [],
        ),
        visitors_per_period=_per_period(
            [{"month": date(2026, 1, 1), "registered": 4, "admitted": 3, "rejected": 1}], [], []
        ),
    )
    built = report.section(*Q1)
    kpis = _kpis(built)
    assert built.title == "机房巡检"
    assert (kpis["巡检完成率"].value, kpis["巡检完成率"].previous) == (98.9, 100.0)
    assert kpis["漏检次数"].value == 1
    assert built.table("compliance").rows == [["中心机房", 90, 89, 1, 98.9], ["工作站维护", 3, 3, 0, 100.0]]
    assert built.table("compliance").total == ["合计", 93, 92, 1, 98.9]
    assert built.table("readings").rows == [["中心机房", "温度（°C）", 19, 27, 22.4, 90]]
    assert built.table("visitors").rows == [["2026-01", 4, 3, 1]]
    assert report.section(*Q1, department=object()) is None


def test_access_section(monkeypatch, settings):
    from accounts import report, stats

    FakeStats(
        monkeypatch,
        stats,
        requests_by_type_and_system=_per_period(
            [
                {"kind": "add", "kind_label": "新增", "system": "HIS", "system_code": "HIS", "count": 5},
                {"kind": "revoke", "kind_label": "注销", "system": "HIS", "system_code": "HIS", "count": 2},
                {"kind": "change", "kind_label": "更改", "system": "LIS", "system_code": "LIS", "count": 1},
            ],
            [{"kind": "add", "kind_label": "新增", "system": "HIS", "system_code": "HIS", "count": 4}],
            [],
        ),
        request_processing_time=_per_period(
            {"completed": 7, "median_hours": 5.5},
            {"completed": 4, "median_hours": 8.0},
            {"completed": 0, "median_hours": None},
        ),
        departures_cleared=_per_period(
            {"departures": 2, "transfers": 1, "median_days_to_clear": 1.5},
            {"departures": 0, "transfers": 0, "median_days_to_clear": None},
            {"departures": 0, "transfers": 0, "median_days_to_clear": None},
        ),
        sensitive_queries=_per_period(
            {"with_approval": 9, "without_approval": 1, "reviewed": 10},
            {"with_approval": 3, "without_approval": 0, "reviewed": 3},
            {"with_approval": 0, "without_approval": 0, "reviewed": 0},
        ),
    )
    monkeypatch.setattr(stats, "overdue_rotations", lambda on=None: {1: 1, 2: 0, 3: 2})
    built = report.section(*Q1)
    kpis = _kpis(built)
    assert built.title == "权限"
    assert (kpis["权限申请"].value, kpis["权限申请"].previous, kpis["权限申请"].last_year) == (8, 4, 0)
    assert kpis["未经审批的统方查询"].value == 1
    assert built.table("requests").rows == [["HIS", 5, 0, 2, 7], ["LIS", 0, 1, 0, 1]]
    assert built.table("requests").total == ["合计", 5, 1, 2, 8]
    assert built.table("rotations").total == ["合计", 3]
    assert built.table("departures").rows == [[2, 1, 1.5]]


def test_disclosure_section(monkeypatch):
    from disclosure import report, stats

    attributes = lambda *counts: [  # noqa: E731
        {"attribute": a, "label": label, "count": n}
        for (a, label), n in zip(
            [
                ("proactive", "主动公开"),
                ("on_request", "依申请公开"),
                ("internal", "内部公开"),
                ("not_disclosed", "不予公开"),
            ],
            counts,
        )
    ]
    FakeStats(
        monkeypatch,
        stats,
        formed_by_attribute=_per_period(attributes(6, 1, 2, 1), attributes(3, 0, 0, 0), attributes(4, 0, 1, 0)),
        published_by_category=_per_period(
            [{"category": "医院概况", "count": 4}, {"category": "收费价格", "count": 2}], [], []
        ),
        entry_timeliness=_per_period(
            {"published": 6, "on_time": 5, "rate": 83.3},
            {"published": 3, "on_time": 3, "rate": 100.0},
            {"published": 0, "on_time": 0, "rate": None},
        ),
        notices=_per_period({"corrections": 1, "withdrawals": 0}, {}, {}),
        requests_summary=_per_period(
            {
                "received": 3,
                "by_person": 2,
                "by_organisation": 1,
                "extended": 1,
                "clarified": 0,
                "consulted": 0,
                "answered": 2,
                "on_time": 2,
                "rate": 100.0,
                "overdue_open": 0,
            },
            {"received": 1, "answered": 1, "on_time": 0, "rate": 0.0},
            {"received": 0, "answered": 0, "on_time": 0, "rate": None},
        ),
        responses_by_type=_per_period([{"type": "disclosed", "label": "予以公开", "count": 2}], [], []),
    )
    built = report.section(*Q1)
    kpis = _kpis(built)
    assert built.title == "信息公开"
    assert (kpis["签发条数"].value, kpis["签发条数"].previous, kpis["签发条数"].last_year) == (10, 3, 5)
    assert kpis["按时答复率"].value == 100.0 and kpis["按时答复率"].previous == 0.0
    assert built.table("by-attribute").rows[0] == ["主动公开", 6, 3, 4]
    assert built.table("by-attribute").total == ["合计", 10, 3, 5]
    assert built.table("by-category").total == ["合计", 6]
    assert built.table("timeliness").rows == [[6, 5, 83.3, 1, 0]]
    assert built.table("requests").rows == [[3, 2, 1, 2, 2, 100.0, 1, 0]]
