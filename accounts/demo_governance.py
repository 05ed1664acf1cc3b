"""Demo governance records: the signed agreements, 防统方 (an approved and filed request, one awaiting approval,
and a query log with one query that a filed approval does not cover), and a department head's deputy this week."""

from datetime import timedelta

from django.utils import timezone

from portal.people import people_with
from portal.workflow import perform

from . import services
from .models import Agreement, SensitiveQueryRequest
from .permissions import TECHNICIANS


def seed_agreements(logins, extra, *, today):
    """IT staff signed the confidentiality agreement when they started; the two who ask for statistics, the pledge."""
    signed = [(user, Agreement.Kind.CONFIDENTIALITY) for user in people_with(*TECHNICIANS)]
    signed += [(user, Agreement.Kind.STATISTICS_PLEDGE) for user in (logins["staff"], extra["zhaolei"])]
    for user, kind in signed:
        services.agreement_record(
            signatory=user, kind=kind, signed_on=today - timedelta(days=400), by=logins["hr"], note="入职时签署"
        )


def seed_training(logins, *, today):
    """This year: the officer has met the minimum in two sessions, the IT head in hours, the DBA not yet."""
    it_head = logins["it_head"]
    sessions = [
        (logins["it_officer"], "医院信息系统网络安全等级保护培训", 6),
        (logins["it_officer"], "HIS 数据库运维与性能优化", 8),
        (it_head, "全国医院信息化建设高级研修班", 24),
        (logins["dba"], "数据库备份与恢复演练专题", 8),
    ]
    for number, (trainee, title, hours) in enumerate(sessions):
        held_on = today.replace(month=1, day=15) + timedelta(days=number * 20)
        services.training_record(
            trainee=trainee, title=title, organiser="信息科", held_on=min(held_on, today), hours=hours, by=it_head
        )


def seed_sensitive_queries(logins, extra, *, today):
    staff, head, officer = logins["staff"], logins["dept_head"], logins["it_officer"]
    approved = services.sensitive_request_submit(
        by=staff,
        purpose="科室合理用药点评（抗菌药物使用强度）。",
        scope=SensitiveQueryRequest.Scope.DRUG_BY_DEPARTMENT,
        scope_detail="内科各病区 抗菌药物",
        period_start=today - timedelta(days=90),
        period_end=today - timedelta(days=1),
    )
    approved = services.sensitive_request_act(request=approved, action="approve", by=head, comment="用于质控，同意")
    perform(approved, "file", by=logins["auditor"], comment="已备案")
    # Approved and filed before the query below was run.
    SensitiveQueryRequest.objects.filter(pk=approved.pk).update(
        approved_at=timezone.now() - timedelta(days=4), filed_at=timezone.now() - timedelta(days=3)
    )
    approved.refresh_from_db()
    services.sensitive_request_submit(
        by=extra["zhaolei"],
        purpose="耗材使用分析。",
        scope=SensitiveQueryRequest.Scope.CONSUMABLE_BY_DOCTOR,
        scope_detail="内科 高值耗材",
        period_start=today - timedelta(days=30),
        period_end=today,
    )
    now = timezone.now()
    services.sensitive_query_record(
        by=officer,
        approval=approved,
        computer_no="XXK-PC-02",
        operator_code="1802",
        run_at=now - timedelta(days=2, hours=3),
        query_kind=SensitiveQueryRequest.Scope.DRUG_BY_DEPARTMENT,
        scope="内科 抗菌药物 按病区 近三个月",
    )
    services.sensitive_query_record(
        by=officer,
        approval=None,
        computer_no="YJK-PC-05",
        operator_code="2107",
        run_at=now - timedelta(hours=20),
        query_kind=SensitiveQueryRequest.Scope.DRUG_BY_DOCTOR,
        scope="门诊 某品种 按医生 上月用量",
    )


def seed_delegation(logins, extra, *, today):
    """内科's head is at a conference this week: 赵磊 (login ``zhaolei``) approves for him until Sunday (代理)."""
    services.delegation_create(
        by=logins["dept_head"],
        deputy=extra["zhaolei"],
        starts_on=today,
        ends_on=today + timedelta(days=6),
        reason="参加省医学会年会",
    )
