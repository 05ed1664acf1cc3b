"""Demo access schemes (001 一(三)8): every system's owner proposed one and a leader approved it; OA has a newer
version awaiting the leader."""

from . import services
from .models import AccessScheme

# Whom each module is allotted to, by module name; modules not named here are allotted to the departments' staff.
ALLOTMENT = {
    "门诊医生站": "门诊医生",
    "住院医生站": "临床科室医生",
    "护士工作站": "临床科室护士",
    "收费处": "门诊收费员、住院收费员",
    "药房发药": "药剂科药师",
    "统计查询": "医务科、科室负责人",
    "病历书写": "临床科室医生",
    "病历质控": "医务科质控员",
    "病案归档": "病案室",
    "病历查阅": "临床科室医生、护士",
    "门诊结算": "门诊收费员",
    "住院结算": "住院收费员",
    "对账上传": "医保办",
    "标本采集": "检验科、临床科室护士",
    "检验报告审核": "检验科审核医师",
    "危急值": "检验科、临床科室医生",
    "影像调阅": "临床科室医生",
    "影像报告书写": "放射科、超声科医师",
    "报告审核": "放射科、超声科主治以上医师",
    "登记预约": "放射科登记员",
    "检查执行": "放射科技师",
    "物资领用": "各科室物资管理员",
    "采购审批": "总务科、院办",
    "资产管理": "总务科、信息科",
    "凭证录入": "财务科会计",
    "凭证审核": "财务科主管会计",
    "财务报表": "财务科、院领导",
    "公文收发": "各科室文书",
    "通知公告": "全院职工",
    "会议室预约": "院办",
}
NEWER_OA = {"会议室预约": "院办、各科室负责人"}


def seed_schemes(logins, systems):
    """Idempotent: a system that already has a scheme is left as it is."""
    leader, it_head = logins["leader"], logins["it_head"]
    for system in systems.values():
        if system.schemes.exists():
            continue
        proposer = system.owner or it_head
        lines = {module: ALLOTMENT.get(module.name, "本科室职工") for module in system.modules.all()}
        scheme = services.access_scheme_propose(system=system, by=proposer, lines=lines, note="按岗位职责分配。")
        services.access_scheme_act(scheme=scheme, action="approve", by=leader, comment="领导小组同意。")
    oa = systems.get("OA")
    if oa and not oa.schemes.filter(version__gt=1).exists():
        current = AccessScheme.objects.current().get(system=oa)
        lines = {line.module: NEWER_OA.get(line.module.name, line.allotted_to) for line in current.lines.all()}
        services.access_scheme_propose(
            system=oa, by=oa.owner or it_head, lines=lines, note="会议室预约开放给各科室负责人。"
        )
