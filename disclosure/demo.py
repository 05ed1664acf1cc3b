"""Demo disclosure data: items in every stage (through the real workflow) and requests near their deadlines.

At scale="hospital" also several years of published items and answered requests, bulk-inserted.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import Department, User
from portal.workdays import is_working_day, working_days_between

from . import services
from .models import Category, DisclosureItem, DisclosureRequest

# title, category, the stage the demo item is taken to, the attribute the leader decides, body (collected by staff)
ITEMS = [
    ("2026年第三季度门诊住院次均费用公示", "统计信息", "published", "proactive", "2026年第三季度，我院门诊次均费用238.6元，同比下降2.1%；住院次均费用9 862.4元，同比下降3.4%。"),
    ("关于调整部分医疗服务项目价格的公示", "医疗服务价格与收费", "published", "proactive", "根据省医保局文件，自2026年12月1日起调整CT、磁共振等12项检查项目价格，详见附表。"),
    ("内科病区新增便民服务措施", "工作动态", "published", "proactive", "内科病区自11月起提供床旁结算、检查预约一站式服务，减少患者往返排队。"),
    ("医院领导班子成员及分工", "机构职能", "corrected", "proactive", "院长主持全面工作；分管副院长分别负责医疗、护理、后勤与信息化工作。"),
    ("内科病区监护设备采购项目中标结果公告", "招标采购", "entry_review", "proactive", "项目编号 NK-2026-017，中标单位：示范市某医疗设备有限公司，中标金额 48.6 万元。"),
    ("2026年公开招聘编外护理人员拟聘用人员公示", "人事信息", "entry", "proactive", "经笔试、面试、体检和考察，拟聘用王某某等12名同志，公示期5个工作日。"),
    ("患者隐私保护管理规定（修订）", "规章制度", "sign_off", "proactive", "本规定适用于全院职工。未经授权不得查询、复制、传播患者诊疗信息。"),
    ("冬季呼吸道疾病就诊指引", "工作动态", "publication_review", "", "发热患者请至发热门诊就诊，儿童患者请至儿科发热门诊，门诊时间 8:00-17:30。"),
    ("内科2026年医疗质量控制指标", "统计信息", "secrecy_review", "", "平均住院日 7.8 天，床位使用率 91.2%，出院患者满意度 96.5%。"),
    ("门诊预约挂号服务流程说明", "其他", "content_review", "", "患者可通过自助机、微信公众号、电话三种方式预约，预约号源提前7天开放。"),
    ("2026年第二季度药品集中采购执行情况", "招标采购", "collection", "", "第二季度完成国家集采药品约定采购量的 112%，涉及 86 个品种。"),
    ("内科专家门诊出诊时间调整", "工作动态", "withdrawn", "proactive", "自12月起，内科专家门诊周六上午增加心内科、消化内科各1个诊室。"),
    ("医院信息系统网络安全事件应急预案", "规章制度", "filed", "internal", "本预案规定了网络安全事件分级、报告流程与处置措施。"),
    ("关于内科医生绩效分配方案的说明", "其他", "filed", "not_disclosed", "内科绩效方案按工作量、质量与满意度三项考核，具体系数见内部文件。"),
]  # fmt: skip

STAGE_ORDER = [
    "collection", "content_review", "secrecy_review", "publication_review", "sign_off", "entry", "entry_review",
    "published",
]  # fmt: skip

# applicant, kind, id, content, working days ago received, what happens
REQUESTS = [
    ("刘某某", "person", "450802198805120000", "本人2025年住院期间的费用明细清单及医保结算单", 18, "open"),
    ("陈某", "person", "450802197602030000", "医院2025年度医疗纠纷处理数量", 21, "open"),
    (
        "示范市某医疗器械有限公司",
        "organisation",
        "91450800MA5K000000",
        "2026年CT设备采购项目的评标报告",
        3,
        "clarification",
    ),
    ("黄某某", "person", "450803199011110000", "急诊科2026年上半年平均候诊时间统计", 10, "consulting"),
    ("示范市消费者协会", "organisation", "51450800MJ0000000X", "医院停车收费标准及依据", 19, "extended"),
    ("李某", "person", "450802196512300000", "医院各科室床位数", 25, "disclosed"),
    ("张某某", "person", "450804198207070000", "院长个人工资收入", 30, "not_disclosed"),
    ("周某", "person", "450802199903030000", "医院2025年度信息公开工作报告", 28, "already_public"),
]


def seed(*, scale="demo", stdout=None):
    users = {user.username: user for user in User.objects.filter(username__in=[
        "staff", "dept_head", "it_officer", "it_head", "secrecy_reviewer", "leader", "principal",
    ])}  # fmt: skip
    categories = {category.name: category for category in Category.objects.all()}
    _seed_items(users, categories)
    _seed_requests(users)
    if scale == "hospital":
        _seed_archive(users, categories, stdout)


def _seed_items(users, categories):
    titles = [title for title, *_ in ITEMS]
    existing = set(DisclosureItem.objects.filter(title__in=titles).values_list("title", flat=True))
    for title, category, target, attribute, body in ITEMS:
        if title in existing:
            continue
        item = services.item_collect(by=users["staff"], title=title, category=categories[category], body=body)
        _advance(item, target, attribute, users)


def _advance(item, target, attribute, users):
    final = {"corrected": "published", "withdrawn": "published", "filed": "entry"}.get(target, target)
    steps = [
        ("submit", item.collector, {}),
        ("approve_content", users["dept_head"], {"opinion": "public", "comment": "内容真实完整，同意公开。"}),
        ("pass_secrecy", users["secrecy_reviewer"], {"comment": "经审查不涉及国家秘密和敏感信息。"}),
        ("review_publication", users["leader"], {"attribute": attribute or "proactive", **_reason(attribute)}),
        ("sign_off", users["principal"], {"comment": "同意。"}),
        ("enter", users["it_officer"], {"rechecked": True, "comment": "已录入医院门户网站信息公开栏目。"}),
        ("approve_entry", users["it_head"], {"comment": "录入内容与签发稿一致。"}),
    ]
    reached = STAGE_ORDER.index(final)
    for action, user, arguments in steps[:reached]:
        item = services.take_step(item, action, by=user, **arguments)
    if target == "corrected":
        services.take_step(
            item, "correct", by=users["leader"], body=item.body + "\n分管后勤工作的副院长调整为分管医疗保障工作。",
            note="原公示中一名副院长的分工有误，已更正，更正后的内容经审核后发布。",
        )  # fmt: skip
    elif target == "withdrawn":
        services.take_step(
            item, "withdraw", by=users["leader"], note="出诊时间安排有变，原信息撤回，新的安排另行公布。"
        )


def _reason(attribute):
    if attribute == "not_disclosed":
        return {"withhold_reason": "internal_affairs", "comment": "属于内部管理信息，不予公开。"}
    return {}


def _working_days_ago(days, today):
    day = today
    while working_days_between(day, today) < days or not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _seed_requests(users):
    if DisclosureRequest.objects.filter(applicant_name__in=[row[0] for row in REQUESTS]).exists():
        return
    today = timezone.localdate()
    handler, leader = users["it_officer"], users["leader"]
    for name, kind, id_no, content, ago, outcome in REQUESTS:
        received_on = _working_days_ago(ago, today)
        request = services.request_register(
            by=handler, received_on=received_on, applicant_kind=kind, applicant_name=name, applicant_id_no=id_no,
            contact_phone="0775-" + id_no[-7:-3] + "321", content=content, channel=random.Random(name).choice(
                [choice for choice, _ in DisclosureRequest.Channel.choices]
            ),
        )  # fmt: skip
        if outcome == "clarification":
            services.take_step(
                request, "request_clarification", by=handler, note="请明确所需评标报告的项目编号及具体内容范围。"
            )
        elif outcome == "consulting":
            services.take_step(request, "start_consultation", by=handler, party="急诊科（涉及第三方诊疗数据）")
        elif outcome == "extended":
            services.take_step(
                request, "extend", by=leader, days=15, reason="涉及多年收费依据，需调取档案核实。", notified_on=today
            )
        elif outcome in ("disclosed", "not_disclosed", "already_public"):
            detail = {
                "disclosed": "",
                "not_disclosed": "属于个人隐私，依据《政府信息公开条例》第十五条不予公开。",
                "already_public": "已在医院门户网站“信息公开—年度报告”栏目主动公开。",
            }[outcome]
            services.take_step(
                request, "respond", by=handler, response_type=outcome, response_detail=detail,
                responded_on=_working_days_ago(max(ago - 15, 0), today),
            )  # fmt: skip


def _seed_archive(users, categories, stdout):
    """Five years of published items and answered requests, for report and list benchmarks."""
    if DisclosureItem.objects.filter(number__contains="-H").exists():
        return
    rng = random.Random(2026)
    departments = list(Department.objects.all())
    category_list = list(categories.values())
    collectors = list(User.objects.filter(employee_no__startswith="3")[:200]) or [users["staff"]]
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    items, total = [], 5000
    for index in range(total):
        formed = today - timedelta(days=rng.randint(30, 5 * 365))
        published = datetime.combine(formed + timedelta(days=rng.randint(1, 25)), time(10, rng.randint(0, 59)), zone)
        category = category_list[index % len(category_list)]
        title = f"{category.name}信息（{formed:%Y年%m月}）第{index + 1}号"
        body = f"{title}。本信息经内容审核、保密审查、公开审核和签发后发布。"
        items.append(
            DisclosureItem(
                number=f"GK-{formed.year}-H{index:05d}", title=title, category=category, body=body,
                department=departments[index % len(departments)], collector=collectors[index % len(collectors)],
                created_at=published - timedelta(days=30), state=DisclosureItem.State.PUBLISHED,
                content_opinion="public", content_reviewer=users["dept_head"],
                content_reviewed_at=published - timedelta(days=20), secrecy_reviewer=users["secrecy_reviewer"],
                secrecy_reviewed_at=published - timedelta(days=15), attribute="proactive",
                publication_reviewer=users["leader"], publication_reviewed_at=published - timedelta(days=10),
                signed_off_by=users["leader"], formed_on=formed, entry_due=formed + timedelta(days=28),
                entrant=users["it_officer"], entered_at=published - timedelta(hours=2), entry_reviewer=users["it_head"],
                published_title=title, published_body=body, published_category=category,
                published_attribute="proactive", published_formed_on=formed, first_published_at=published,
                published_at=published,
            )
        )  # fmt: skip
    DisclosureItem.objects.bulk_create(items, batch_size=1000)
    requests = []
    types = [choice for choice, _ in DisclosureRequest.ResponseType.choices]
    for index in range(1500):
        received = today - timedelta(days=rng.randint(40, 5 * 365))
        due = received + timedelta(days=28)
        responded = received + timedelta(days=rng.randint(5, 32))
        response_type = types[index % len(types)]
        requests.append(
            DisclosureRequest(
                number=f"YSQ-{received.year}-H{index:05d}", applicant_kind="person" if index % 4 else "organisation",
                applicant_name=f"申请人{index + 1}", applicant_id_no=f"4508{index:014d}", contact_phone="0775-2000000",
                content="申请公开医院相关信息", channel=DisclosureRequest.Channel.choices[index % 5][0],
                received_on=received, registered_by=users["it_officer"], state=DisclosureRequest.State.ANSWERED,
                due_on=due, response_type=response_type,
                response_detail="" if response_type not in DisclosureRequest.DETAIL_REQUIRED else "详见答复书。",
                responded_on=responded, responded_by=users["it_officer"],
            )
        )  # fmt: skip
    DisclosureRequest.objects.bulk_create(requests, batch_size=1000)
    if stdout:
        stdout.write(f"  disclosure: {total} published items, {len(requests)} answered requests")
