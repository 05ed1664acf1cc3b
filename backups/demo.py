"""Demo backups register: the hospital's systems with eight weeks of runs, weekly integrity checks and restore
tests, full backups taken off site on tapes, media with custody, a stocktake, the server operation log, and an
off-site waiver approved for the IT department's file server (another one awaits the IT head). One system is out of policy and one
needs attention, so the board shows all three colours. The portal's own database gets no demo rows:
its backup and check are real and appear a few minutes after start.

At scale="hospital": 40 targets with a year of daily runs (~13,000), weekly or biweekly tests (~1,500) and
3,000 server operations.
"""

import hashlib
import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.numbering import next_number

from . import services
from .models import (
    BackupMedium,
    BackupRun,
    BackupTarget,
    CustodyHandover,
    MediaStocktake,
    OffsiteWaiver,
    ServerOperation,
    StocktakeLine,
    Verification,
)

# code, name, kind, server, incremental hours (None = full only), verification interval days
TARGETS = [
    ("HIS-DB", "HIS 医院信息系统数据库", "oracle", "HIS-DB01 (10.10.1.11)", 24, 7),
    ("EMR-DB", "EMR 电子病历数据库", "postgresql", "EMR-DB01 (10.10.1.21)", 24, 7),
    ("LIS-DB", "LIS 检验信息系统数据库", "sqlserver", "LIS-SRV (10.10.1.31)", 24, 7),
    ("PACS-STORE", "PACS 影像存储", "files", "PACS-NAS (10.10.2.10)", 24, 14),
    ("HRP-DB", "HRP 医院资源计划数据库", "mysql", "HRP-DB (10.10.1.41)", 24, 14),
    ("YB-FRONT", "医保前置机数据库", "sqlserver", "YB-QZJ (10.20.0.5)", None, 7),
    ("FILE-SRV", "信息科文件服务器", "files", "FS01 (10.10.3.5)", None, 14),
    ("OA-DB", "OA 协同办公数据库", "mysql", "OA-SRV (10.10.1.51)", 24, 14),
]
OUT_OF_POLICY = "PACS-STORE"
NEEDS_ATTENTION = "LIS-DB"
# code, reason, approved by the IT head?
WAIVERS = [
    ("FILE-SRV", "文件服务器只存信息科内部工作文档，已每日同步至分院容灾机房，经评估不再另送备份介质异地存放。", True),
    ("OA-DB", "OA 数据库已由厂商云端异地容灾，申请不再送磁带异地存放。", False),
]

MEDIA = [
    ("TAPE-2026-01", "tape", 12000, "off_site", "院办档案室保险柜"),
    ("TAPE-2026-02", "tape", 12000, "off_site", "院办档案室保险柜"),
    ("TAPE-2026-03", "tape", 12000, "on_site", "信息科机房磁带柜"),
    ("TAPE-2026-04", "tape", 12000, "on_site", "信息科机房磁带柜"),
    ("USB-HDD-01", "disk", 4000, "off_site", "分院信息科机柜"),
    ("USB-HDD-02", "disk", 4000, "on_site", "信息科办公室保密柜"),
    ("NAS-BAK-01", "nas", 48000, "on_site", "主机房 B02 机柜"),
    ("NAS-BAK-DR", "nas", 48000, "off_site", "容灾机房(分院)"),
    ("BD-2026-Q3", "optical", 100, "off_site", "院办档案室保险柜"),
    ("BD-2026-Q4", "optical", 100, "on_site", "信息科办公室保密柜"),
]

OPERATIONS = [
    ("maintenance", "检查磁盘阵列告警灯，更换故障硬盘一块，阵列重建完成"),
    ("patch", "安装操作系统安全补丁并重启服务器"),
    ("backup", "手工执行全量备份，核对备份日志无报错"),
    ("config", "调整数据库参数 sga_target，经信息科主任批准"),
    ("data", "按医务科申请更正一条出院记录的出院日期"),
    ("hardware", "厂家工程师更换冗余电源模块"),
    ("maintenance", "清理归档日志，释放磁盘空间"),
]


def _users():
    User = get_user_model()
    by_name = {user.username: user for user in User.objects.filter(username__in=["dba", "it_head", "it_officer"])}
    return by_name.get("dba"), by_name.get("it_head"), by_name.get("it_officer")


def _digest(*parts):
    return hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()


def seed(*, scale="demo", stdout=None):
    dba, it_head, it_officer = _users()
    if dba is None:
        return
    rng = random.Random(2026)
    now = timezone.now().replace(second=0, microsecond=0)
    targets = _seed_targets(TARGETS, dba, it_head, now - timedelta(days=400))
    media = _seed_media(dba, it_head)
    for target in targets:
        if not target.runs.exists():
            _seed_history(target, days=56, now=now, rng=rng, dba=dba, it_head=it_head, media=media)
    if not CustodyHandover.objects.exists():
        _seed_custody(media, dba, it_head, now)
    if not MediaStocktake.objects.exists():
        _seed_stocktake(media, dba, now)
    if not ServerOperation.objects.exists():
        _seed_operations(targets, 40, now, rng, dba, it_head, it_officer)
    if not OffsiteWaiver.objects.exists():
        _seed_waivers(targets, dba, it_head)
    if scale == "hospital":
        extra = [
            (f"{code}-FY{n:02d}", f"分院{n:02d} {name}", kind, f"FY{n:02d}-{server}", inc, interval)
            for n in range(1, 5)
            for code, name, kind, server, inc, interval in TARGETS
            if code != OUT_OF_POLICY
        ]
        extra += [(f"AUX-{n:02d}", f"辅助系统数据库 {n:02d}", "mysql", f"AUX-{n:02d}", 24, 14) for n in range(1, 5)]
        hospital_targets = _seed_targets(extra, dba, it_head, now - timedelta(days=400))
        for target in hospital_targets:
            if not target.runs.exists():
                _seed_history(target, days=365, now=now, rng=rng, dba=dba, it_head=it_head, media=media)
        if ServerOperation.objects.count() < 3000:
            _seed_operations(targets + hospital_targets, 3000, now, rng, dba, it_head, it_officer)
    if stdout:
        stdout.write(
            f"  backups: {BackupTarget.objects.count()} targets, {BackupRun.objects.count()} runs, "
            f"{Verification.objects.count()} verifications, {ServerOperation.objects.count()} server operations"
        )


def _seed_targets(rows, dba, it_head, created_at):
    targets = []
    for code, name, kind, server, incremental, interval in rows:
        target, _ = BackupTarget.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "server": server,
                "incremental_every_hours": incremental,
                "full_every_days": 7,
                "retention_days": 90 if kind != "files" else 30,
                "offsite_copy": True,
                "verification_interval_days": interval,
                "responsible_dba": dba,
                "deputy": it_head,
                "created_at": created_at,
            },
        )
        targets.append(target)
    return targets


def _seed_media(dba, it_head):
    media = []
    for label, kind, capacity, location, place in MEDIA:
        medium, _ = BackupMedium.objects.get_or_create(
            label=label,
            defaults={
                "kind": kind,
                "capacity_gb": capacity,
                "location": location,
                "place": place,
                "custodian": it_head if location == "off_site" else dba,
            },
        )
        media.append(medium)
    return media


def _seed_history(target, *, days, now, rng, dba, it_head, media):
    """Daily runs at 02:00 (full on Sundays) and a weekly restore test, up to now."""
    runs = []
    today = timezone.localtime(now).replace(hour=2, minute=0)
    stale = target.code == OUT_OF_POLICY
    for back in range(days, 2 if stale else -1, -1):
        day = today - timedelta(days=back)
        if day > now:
            continue
        full = day.weekday() == 6 or not target.incremental_every_hours
        # Only older runs fail at random, so the board's colours stay as described above.
        failed = back > 2 and rng.random() < 0.03
        size = rng.randint(30, 60) * 1024**3 if full else rng.randint(1, 4) * 1024**3
        started = day + timedelta(minutes=rng.randint(0, 20))
        finished = started + timedelta(minutes=rng.randint(12, 90) if full else rng.randint(2, 15))
        if finished > now:  # seeded just after 02:00: tonight's run is still going
            continue
        runs.append(
            BackupRun(
                target=target,
                kind=BackupRun.Kind.FULL if full else BackupRun.Kind.INCREMENTAL,
                started_at=started,
                finished_at=finished,
                status=BackupRun.Status.FAILED if failed else BackupRun.Status.SUCCESS,
                size_bytes=None if failed else size,
                sha256="" if failed else _digest(target.code, started),
                location=f"/backup/{target.code.lower()}/{started:%Y%m%d}-{'full' if full else 'inc'}.bak",
                # Full backups go to the two tapes kept off site, taken there the same day.
                medium=media[(back // 7) % 2] if full and not failed else media[6],
                error="ORA-19502: write error on file, block number 1843201" if failed else "",
                source=BackupRun.Source.ENDPOINT,
                recorded_at=finished,
            )
        )
    BackupRun.objects.bulk_create(runs, batch_size=2000)
    fulls = list(target.runs.filter(kind=BackupRun.Kind.FULL, status=BackupRun.Status.SUCCESS).order_by("started_at"))
    eligible = [
        run
        for run in fulls
        if run.finished_at + timedelta(hours=30) <= now and not (stale and run.started_at > now - timedelta(days=20))
    ]
    chosen = []
    for run in reversed(eligible):
        if not chosen or chosen[-1].started_at - run.started_at >= timedelta(
            days=target.verification_interval_days - 1
        ):
            chosen.append(run)
    chosen.reverse()
    checks = [_integrity_check(target, run, dba) for run in chosen]
    for index, run in enumerate(chosen):
        started = run.finished_at + timedelta(hours=30)
        restore = round(rng.uniform(600, 2400), 1)
        latest = index == len(chosen) - 1
        result = Verification.Result.FAIL if not latest and rng.random() < 0.04 else Verification.Result.PASS
        if latest and target.code == NEEDS_ATTENTION:
            result = Verification.Result.WARNING
        checks.append(
            Verification(
                target=target,
                backup_run=run,
                method=Verification.Method.FULL_RESTORE if target.kind != "files" else Verification.Method.FILE_RESTORE,
                result=result,
                started_at=started,
                finished_at=started + timedelta(seconds=restore + 600),
                restore_seconds=restore,
                data_as_of=run.started_at,
                counts=[
                    {"name": "门诊挂号", "expected": 1_204_331 + index * 9000, "found": 1_204_331 + index * 9000},
                    {"name": "住院医嘱", "expected": 8_771_040 + index * 52000, "found": 8_771_040 + index * 52000},
                ]
                if target.kind != "files"
                else [{"name": "影像目录", "expected": 52_000 + index * 800, "found": 52_000 + index * 800}],
                error={
                    Verification.Result.PASS: "",
                    Verification.Result.WARNING: "恢复耗时超过方案规定的 30 分钟，需优化恢复流程",
                    Verification.Result.FAIL: "恢复后抽查住院医嘱表记录数与备份时不一致",
                }[result],
                notes="在测试服务器恢复，抽查门诊挂号、住院医嘱记录数一致，核对最新一条记录时间。"
                if target.kind != "files"
                else "将备份文件恢复到测试服务器临时目录，核对文件数与抽查影像可正常打开。",
                operator=dba,
                witness=it_head,
            )
        )
    Verification.objects.bulk_create(checks, batch_size=2000)


def _integrity_check(target, run, dba):
    """The morning after a full backup: its checksum re-read, an integrity check and not a restore test."""
    started = run.finished_at + timedelta(hours=6)
    return Verification(
        target=target,
        backup_run=run,
        method=Verification.Method.CHECKSUM,
        result=Verification.Result.PASS,
        started_at=started,
        finished_at=started + timedelta(minutes=8),
        expected_sha256=run.sha256,
        found_sha256=run.sha256,
        notes="重新计算备份文件 SHA-256，与备份时记录一致。",
        operator=dba,
    )


def _seed_waivers(targets, dba, it_head):
    by_code = {target.code: target for target in targets}
    for code, reason, approved in WAIVERS:
        target = by_code.get(code)
        if target is None or not target.offsite_copy:
            continue
        waiver = services.offsite_waiver_request(target=target, reason=reason, by=dba)
        if approved:
            services.take_step(waiver, "approve", by=it_head, comment="同意，容灾机房副本每季度抽查一次。")


def _seed_custody(media, dba, it_head, now):
    for weeks_ago, medium in ((6, media[0]), (5, media[1]), (3, media[4]), (1, media[8])):
        handover = CustodyHandover.objects.create(
            number=next_number("JJ"),
            from_person=dba,
            to_person=it_head,
            handed_over_at=now - timedelta(weeks=weeks_ago),
            to_location=medium.location,
            to_place=medium.place,
            note="每周全量备份介质送异地保管",
            state=CustodyHandover.State.SIGNED,
            signed_at=now - timedelta(weeks=weeks_ago) + timedelta(hours=2),
        )
        handover.media.set([medium])
    pending = CustodyHandover.objects.create(
        number=next_number("JJ"),
        from_person=it_head,
        to_person=dba,
        handed_over_at=now - timedelta(hours=3),
        to_location="on_site",
        to_place="信息科机房磁带柜",
        note="取回磁带用于季度恢复演练",
    )
    pending.media.set([media[1]])


def _seed_stocktake(media, dba, now):
    stocktake = MediaStocktake.objects.create(
        number=next_number(MediaStocktake.NUMBER_PREFIX),
        counted_on=timezone.localdate(now) - timedelta(days=20),
        location="off_site",
        counted_by=dba,
        note="季度异地介质盘点",
        state=MediaStocktake.State.CLOSED,
    )
    StocktakeLine.objects.bulk_create(
        StocktakeLine(
            stocktake=stocktake, medium=medium, expected_place=medium.place, result=StocktakeLine.Result.FOUND
        )
        for medium in media
        if medium.location == "off_site"
    )


def _seed_operations(targets, total, now, rng, dba, it_head, it_officer):
    rows = []
    missing = total - ServerOperation.objects.count()
    for _ in range(max(0, missing)):
        target = rng.choice(targets)
        kind, description = rng.choice(OPERATIONS)
        started = now - timedelta(days=rng.randint(1, 360 if total > 100 else 55), hours=rng.randint(0, 10))
        operator = rng.choice([dba, it_officer or dba, it_head])
        rows.append(
            ServerOperation(
                server=target.server,
                target=target,
                kind=kind,
                started_at=started,
                finished_at=started + timedelta(minutes=rng.randint(10, 120)),
                operator=operator,
                present_dba=None if operator == dba else dba,
                others_present="厂家工程师" if kind == "hardware" else "",
                description=description,
                outcome="完成，业务无影响",
                recorded_by=operator,
            )
        )
    ServerOperation.objects.bulk_create(rows, batch_size=2000)
