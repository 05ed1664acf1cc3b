"""Demo hospital: departments, one login per role (password Demo-2026), and at hospital scale 5,000 staff."""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from portal.roles import Role, has_role

from .demo_governance import seed_agreements, seed_delegation, seed_sensitive_queries, seed_training
from .demo_schemes import seed_schemes
from .models import Department, User
from .services import role_change

DEMO_PASSWORD = "Demo-2026"
SYSADMIN = "sysadmin"

DEPARTMENTS = [
    ("NK", "内科", "clinical"),
    ("WK", "外科", "clinical"),
    ("EK", "儿科", "clinical"),
    ("FCK", "妇产科", "clinical"),
    ("JZK", "急诊科", "clinical"),
    ("ICU", "重症医学科", "clinical"),
    ("MZB", "门诊部", "clinical"),
    ("YJK", "药剂科", "clinical"),
    ("JYK", "检验科", "clinical"),
    ("FSK", "放射科", "clinical"),
    ("CSK", "超声科", "clinical"),
    ("BLK", "病理科", "clinical"),
    ("SSS", "手术室", "clinical"),
    ("HLB", "护理部", "administrative"),
    ("YWK", "医务科", "administrative"),
    ("CWK", "财务科", "administrative"),
    ("RSK", "人事科", "administrative"),
    ("XXK", "信息科", "administrative"),
    ("YB", "院办", "administrative"),
    ("JJJC", "纪检监察室", "administrative"),
    ("ZWK", "总务科", "administrative"),
    ("YBB", "医保办", "administrative"),
]

# username (= role code), full name, employee number, department code
ROLE_LOGINS = [
    (Role.STAFF, "王小红", "100101", "NK"),
    (Role.DEPT_HEAD, "李建国", "100102", "NK"),
    (Role.IT_OFFICER, "张伟", "180201", "XXK"),
    (Role.IT_HEAD, "陈志强", "180101", "XXK"),
    (Role.DBA, "刘洋", "180301", "XXK"),
    (Role.SECRECY_REVIEWER, "赵敏", "190101", "YB"),
    (Role.LEADER, "孙建华", "190001", "YB"),
    (Role.HR, "周丽", "170101", "RSK"),
    (Role.AUDITOR, "吴刚", "200101", "JJJC"),
]

# The hospital's principal leader signs disclosure items off; the leader above reviews them for publication.
SIGNING_LEADER = ("principal", "高志远", "190002", "YB")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红玲兰飞鹏辉斌宇浩凯健俊帆帅旭宁琳"


def seed(*, scale="demo", stdout=None):
    departments = {}
    for code, name, kind in DEPARTMENTS:
        departments[code], _ = Department.objects.update_or_create(code=code, defaults={"name": name, "kind": kind})
    password = make_password(DEMO_PASSWORD)
    groups = {group.name: group for group in Group.objects.all()}
    for role, full_name, employee_no, dept_code in ROLE_LOGINS:
        user, _created = User.objects.get_or_create(
            username=role.value,
            defaults={
                "full_name": full_name,
                "employee_no": employee_no,
                "department": departments[dept_code],
                "password": password,
                "email": f"{role.value}@hospital.local",
                "phone": f"8{employee_no[-4:]}",
            },
        )
        user.groups.add(groups[role.value])
    # The admin site's login is no business login (003 (八)14): a superuser with no role and no 工号.
    User.objects.filter(username__in=Role.values).update(is_staff=False, is_superuser=False)
    # Re-seeding sets the system administrator's password again, so its age starts again too (001 一(四)5).
    sysadmin = {"full_name": "系统管理员", "password": password, "password_changed_at": timezone.now(),
                "is_staff": True, "is_superuser": True}  # fmt: skip
    User.objects.update_or_create(username=SYSADMIN, defaults=sysadmin)
    username, full_name, employee_no, dept_code = SIGNING_LEADER
    principal, _created = User.objects.get_or_create(
        username=username,
        defaults={"full_name": full_name, "employee_no": employee_no, "department": departments[dept_code],
                  "password": password},
    )  # fmt: skip
    principal.groups.add(groups[Role.LEADER])
    head, it_head = User.objects.get(username=Role.DEPT_HEAD), User.objects.get(username=Role.IT_HEAD)
    if not has_role(head, Role.STAFF):
        role_change(user=head, role=Role.STAFF, give=True, reason="兼本科室职工：报修、申请权限", by=it_head)
    Department.objects.filter(code="NK").update(head=head)
    Department.objects.filter(code="XXK").update(head=it_head)
    if scale == "hospital":
        _seed_staff(departments, password, groups[Role.STAFF], 5000)


def _seed_staff(departments, password, staff_group, total):
    """Bulk staff for benchmarks: employee numbers 3xxxxx, spread over every department."""
    existing = set(User.objects.filter(employee_no__startswith="3").values_list("employee_no", flat=True))
    codes = list(departments)
    new_users = []
    for index in range(total):
        employee_no = f"3{index:05d}"
        if employee_no in existing:
            continue
        name = SURNAMES[index % len(SURNAMES)] + GIVEN[(index * 7) % len(GIVEN)] + GIVEN[(index * 13) % len(GIVEN)]
        new_users.append(
            User(
                username=f"u{employee_no}",
                full_name=name,
                employee_no=employee_no,
                department=departments[codes[index % len(codes)]],
                password=password,
            )
        )
    User.objects.bulk_create(new_users, batch_size=1000)
    memberships = User.groups.through
    created = User.objects.filter(username__in=[user.username for user in new_users]).values_list("pk", flat=True)
    memberships.objects.bulk_create(
        [memberships(user_id=pk, group_id=staff_group.pk) for pk in created], batch_size=1000, ignore_conflicts=True
    )


# --- Access governance demo data (seeded after inventory and backups: internet access needs a computer) ---

SYSTEMS = [
    # code, name, tier, owner (login), description, modules
    (
        "HIS",
        "医院信息系统",
        1,
        Role.IT_HEAD,
        "门急诊、住院、收费、药房",
        ["门诊医生站", "住院医生站", "护士工作站", "收费处", "药房发药", "统计查询"],
    ),
    ("EMR", "电子病历系统", 1, Role.IT_HEAD, "病历书写、质控、归档", ["病历书写", "病历质控", "病案归档", "病历查阅"]),
    ("YB", "医保结算系统", 1, Role.DBA, "医保刷卡、结算、对账", ["门诊结算", "住院结算", "对账上传"]),
    ("LIS", "检验信息系统", 2, Role.DBA, "标本、检验报告", ["标本采集", "检验报告审核", "危急值"]),
    ("PACS", "影像归档与通信系统", 2, Role.DBA, "影像调阅、报告", ["影像调阅", "影像报告书写", "报告审核"]),
    ("RIS", "放射信息系统", 2, Role.DBA, "放射登记、预约", ["登记预约", "检查执行"]),
    ("HRP", "医院资源规划系统", 2, Role.IT_HEAD, "物资、设备、财务", ["物资领用", "采购审批", "资产管理"]),
    ("CW", "财务核算系统", 2, Role.IT_HEAD, "总账、报表", ["凭证录入", "凭证审核", "财务报表"]),
    ("OA", "协同办公系统", 3, Role.IT_OFFICER, "公文、通知、会议", ["公文收发", "通知公告", "会议室预约"]),
]

EXTRA_STAFF = [
    ("zhaolei", "赵磊", "100103", "NK"),
    ("chenjing", "陈静", "100104", "NK"),
    ("sunli", "孙丽", "110101", "WK"),
    ("huangpeng", "黄鹏", "180202", "XXK"),
]


def seed_access(*, scale="demo", stdout=None):
    """Catalogue, grants in every state, requests at each step, a departure, internet access, privileged accounts,
    sensitive-query approvals and a query log with one unapproved query, and this quarter's recertification."""
    from .models import InformationSystem, SystemModule

    logins = {user.username: user for user in User.objects.filter(username__in=[role.value for role in Role])}
    systems = {}
    for code, name, tier, owner, description, modules in SYSTEMS:
        systems[code], _ = InformationSystem.objects.update_or_create(
            code=code, defaults={"name": name, "tier": tier, "owner": logins.get(owner), "description": description}
        )
        for module in modules:
            SystemModule.objects.get_or_create(system=systems[code], name=module)
    seed_schemes(logins, systems)
    if not _demo_seeded():
        _seed_access_demo(logins, systems)
    if scale == "hospital":
        _seed_access_hospital(systems)
    if stdout:
        stdout.write("accounts: access governance demo data ready")


def _demo_seeded():
    from .models import PrivilegedAccount

    return PrivilegedAccount.objects.filter(system_or_device="HIS 主数据库服务器 (10.1.1.10)").exists()


def _modules(system, *names):
    return list(system.modules.filter(name__in=names))


def _seed_access_demo(logins, systems):
    from datetime import timedelta

    from django.utils import timezone

    from . import services
    from .models import Departure, Grant, PrivilegedAccount

    departments = {department.code: department for department in Department.objects.all()}
    password = make_password(DEMO_PASSWORD)
    staff_group = Group.objects.get(name=Role.STAFF)
    extra = {}
    for username, full_name, employee_no, code in EXTRA_STAFF:
        extra[username], _ = User.objects.get_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "employee_no": employee_no,
                "department": departments[code],
                "password": password,
            },
        )
        extra[username].groups.add(staff_group)
    extra["huangpeng"].groups.add(Group.objects.get(name=Role.IT_OFFICER))
    today = timezone.localdate()
    staff, head, officer, it_head, dba = (logins[r] for r in ("staff", "dept_head", "it_officer", "it_head", "dba"))

    def grant(user, code, account, *modules, ends_on=None, days_ago=200):
        held = Grant.objects.create(
            user=user,
            system=systems[code],
            account_name=account,
            ends_on=ends_on,
            granted_at=timezone.now() - timedelta(days=days_ago),
        )
        held.modules.set(_modules(systems[code], *modules))
        return held

    grant(staff, "HIS", "wangxh", "门诊医生站", "住院医生站")
    grant(staff, "EMR", "wangxh", "病历书写", "病历查阅")
    grant(staff, "OA", "100101", "公文收发", "通知公告")
    grant(head, "HIS", "lijg", "住院医生站", "统计查询")
    grant(head, "EMR", "lijg", "病历书写", "病历质控")
    grant(head, "OA", "100102", "公文收发", "通知公告", "会议室预约")
    grant(extra["zhaolei"], "HIS", "zhaol", "门诊医生站")
    grant(extra["zhaolei"], "LIS", "zhaol", "检验报告审核", ends_on=today + timedelta(days=20), days_ago=40)
    grant(extra["chenjing"], "HIS", "chenj", "护士工作站")
    grant(extra["chenjing"], "PACS", "chenj", "影像调阅", ends_on=today - timedelta(days=2), days_ago=60)
    grant(extra["sunli"], "HIS", "sunl", "住院医生站")
    grant(extra["sunli"], "EMR", "sunl", "病历书写")
    for user, account in ((officer, "zhangw"), (it_head, "chenzq"), (dba, "liuy"), (extra["huangpeng"], "huangp")):
        grant(user, "OA", account, "公文收发", "通知公告")
    services.grants_expire(today=today)

    # Requests at each step of the flow.
    his, lis, oa, pacs = systems["HIS"], systems["LIS"], systems["OA"], systems["PACS"]
    services.permission_request_submit(
        by=extra["zhaolei"],
        subject=extra["zhaolei"],
        kind="change",
        system=his,
        modules=_modules(his, "门诊医生站", "住院医生站"),
        reason="轮转至住院病区，需开通住院医生站。",
    )
    services.permission_request_submit(
        by=staff,
        subject=staff,
        kind="add",
        system=pacs,
        modules=_modules(pacs, "影像调阅"),
        reason="参加多学科会诊，需要调阅影像。",
        ends_on=today + timedelta(days=90),
    )
    services.permission_request_submit(
        by=head,
        subject=extra["chenjing"],
        kind="add",
        system=lis,
        modules=_modules(lis, "标本采集"),
        reason="病区护士负责标本采集。",
    )
    to_provision = services.permission_request_submit(
        by=extra["zhaolei"],
        subject=extra["zhaolei"],
        kind="add",
        system=oa,
        modules=_modules(oa, "会议室预约"),
        reason="科室秘书需要预约会议室。",
    )
    services.permission_request_act(request=to_provision, action="approve", by=head, comment="同意")
    done = services.permission_request_submit(
        by=extra["chenjing"],
        subject=extra["chenjing"],
        kind="add",
        system=systems["EMR"],
        modules=_modules(systems["EMR"], "病历查阅"),
        reason="护理病历查阅。",
    )
    done = services.permission_request_act(request=done, action="approve", by=head, comment="同意")
    done = services.permission_request_act(request=done, action="it_approve", by=it_head, comment="同意开通")
    services.permission_request_act(request=done, action="provision", by=officer, account_name="chenj")
    refused = services.permission_request_submit(
        by=extra["zhaolei"],
        subject=extra["zhaolei"],
        kind="add",
        system=systems["CW"],
        modules=_modules(systems["CW"], "凭证审核"),
        reason="查看科室成本。",
    )
    services.permission_request_act(
        request=refused, action="reject", by=head, comment="临床科室不需财务凭证权限，请向财务科索取报表。"
    )

    # A transfer in progress: 孙丽 moves from 外科 to 急诊科; IT must still revoke her access.
    if not Departure.objects.filter(user=extra["sunli"]).exists():
        services.departure_open(
            by=logins["hr"],
            user=extra["sunli"],
            kind=Departure.Kind.TRANSFER,
            last_day=today + timedelta(days=7),
            to_department=departments["JZK"],
            reason="院内调岗至急诊科。",
        )

    _seed_internet_access(logins, extra)

    # Privileged accounts of every tier; one tier-1 rotation is overdue.
    accounts = [
        (1, "database", "HIS 主数据库服务器 (10.1.1.10)", "sys", [dba, it_head], 100),
        (1, "database", "EMR 数据库服务器 (10.1.1.12)", "sys", [dba, it_head], 30),
        (1, "network", "核心交换机 (10.1.0.1)", "admin", [dba, it_head], 45),
        (2, "server", "LIS 应用服务器 (10.1.2.20)", "root", [officer, it_head], 60),
        (2, "network", "门诊楼接入交换机 (10.1.10.2)", "admin", [extra["huangpeng"], it_head], 120),
        (2, "database", "PACS 辅助数据库 (10.1.2.31)", "dbadmin", [dba, it_head], 200),
        (3, "workstation", "内科护士站电脑 NK-PC-03", "Administrator", [head], 150),
    ]
    for tier, kind, device, name, custodians, days in accounts:
        account = PrivilegedAccount(
            tier=tier,
            kind=kind,
            system_or_device=device,
            account_name=name,
            last_password_change=today - timedelta(days=days),
        )
        services.privileged_account_save(account=account, custodians=custodians, by=it_head)
    his_db = PrivilegedAccount.objects.get(system_or_device__startswith="HIS 主数据库")
    services.major_operation_record(
        account=his_db,
        description="季度数据库补丁升级（停机 20 分钟，已提前通知各科室）。",
        performed_by=dba,
        performed_at=timezone.now() - timedelta(days=12),
        witness=it_head,
        by=dba,
    )
    services.major_operation_record(
        account=his_db,
        description="清理历史日志表，释放表空间 120GB。",
        performed_by=dba,
        performed_at=timezone.now() - timedelta(days=3),
        witness=officer,
        by=dba,
    )

    seed_agreements(logins, extra, today=today)
    seed_training(logins, today=today)
    seed_sensitive_queries(logins, extra, today=today)
    seed_delegation(logins, extra, today=today)

    # This quarter's recertification campaign.
    services.recertification_open_campaign(today=today)


def _seed_internet_access(logins, extra):
    """Two computers of 内科 from the ledger: one with internet access open, one awaiting the leader."""
    from inventory.models import Equipment

    from . import services

    computers = list(Equipment.objects.filter(department__code="NK").active().order_by("asset_no")[:2])
    if not computers:
        return
    opened = services.network_request_submit(
        by=logins["staff"], computer=computers[0], reason="查阅医学文献数据库、参加线上学术会议。"
    )
    opened = services.network_request_act(request=opened, action="approve", by=logins["leader"], comment="同意")
    services.network_request_act(
        request=opened,
        action="open_access",
        by=logins["it_officer"],
        ip_address="10.8.20.31",
        gateway="10.8.20.1",
        dns="10.1.0.2, 10.1.0.3",
    )
    if len(computers) > 1:
        services.network_request_submit(by=extra["zhaolei"], computer=computers[1], reason="医保政策文件下载。")


def _seed_access_hospital(systems):
    """Hospital scale: grants for every bulk staff member, a year of completed requests, query log and departures."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import Departure, Grant, PermissionRequest, SensitiveQueryLog

    if PermissionRequest.objects.filter(number__startswith="QX-H").exists():
        return
    bulk_staff = list(
        User.objects.filter(employee_no__startswith="3").values_list("pk", "department_id").order_by("pk")
    )
    if not bulk_staff:
        return
    now = timezone.now()
    officer = User.objects.get(username=Role.IT_OFFICER)
    head = User.objects.get(username=Role.DEPT_HEAD)
    it_head = User.objects.get(username=Role.IT_HEAD)
    codes = ["HIS", "EMR", "OA", "LIS", "PACS"]
    grants, requests = [], []
    for index, (user_id, department_id) in enumerate(bulk_staff):
        for offset, code in enumerate(codes[: 2 + index % 3]):
            system = systems[code]
            granted = now - timedelta(days=(index * 7 + offset * 13) % 720 + 1)
            grants.append(
                Grant(user_id=user_id, system=system, account_name=f"{code.lower()}{user_id}", granted_at=granted)
            )
            submitted = granted - timedelta(hours=4 + (index + offset) % 70)
            requests.append(
                PermissionRequest(
                    number=f"QX-H{len(requests):07d}",
                    kind=PermissionRequest.Kind.ADD,
                    applicant_id=user_id,
                    subject_id=user_id,
                    department_id=department_id,
                    system=system,
                    reason="岗位工作需要。",
                    state=PermissionRequest.State.COMPLETED,
                    submitted_at=submitted,
                    dept_approver=head,
                    dept_approved_at=submitted + timedelta(hours=1),
                    it_approver=it_head if system.needs_it_head else None,
                    it_approved_at=submitted + timedelta(hours=2) if system.needs_it_head else None,
                    provisioner=officer,
                    account_name=f"{code.lower()}{user_id}",
                    completed_at=granted,
                )
            )
    Grant.objects.bulk_create(grants, batch_size=2000)
    PermissionRequest.objects.bulk_create(requests, batch_size=2000)
    SensitiveQueryLog.objects.bulk_create(
        [
            SensitiveQueryLog(
                computer_no=f"YJK-PC-{index % 12:02d}",
                operator_code=f"21{index % 40:02d}",
                run_at=now - timedelta(hours=index * 3),
                scope="药品 按科室 月度用量",
                recorded_by=officer,
                reviewed_by=User.objects.get(username=Role.AUDITOR) if index % 4 else None,
                reviewed_at=now - timedelta(hours=index * 3 - 1) if index % 4 else None,
            )
            for index in range(2000)
        ],
        batch_size=2000,
    )
    hr = User.objects.get(username=Role.HR)
    Departure.objects.bulk_create(
        [
            Departure(
                number=f"LG-H{index:06d}",
                kind=Departure.Kind.DEPARTURE,
                user_id=user_id,
                from_department_id=department_id,
                last_day=(now - timedelta(days=index)).date(),
                state=Departure.State.COMPLETED,
                opened_by=hr,
                opened_at=now - timedelta(days=index + 3),
                completed_at=now - timedelta(days=index, hours=index % 20),
            )
            for index, (user_id, department_id) in enumerate(bulk_staff[-200:])
        ],
        batch_size=1000,
    )
