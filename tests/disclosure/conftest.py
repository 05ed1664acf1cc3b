from types import SimpleNamespace

import pytest

from disclosure import services
from disclosure.models import Category

STEPS = [
    ("submit", "collector", {}),
    ("approve_content", "head", {"opinion": "public", "comment": "内容准确完整"}),
    ("pass_secrecy", "secrecy", {"comment": "不涉密"}),
    ("review_publication", "leader", {"attribute": "proactive"}),
    ("sign_off", "signer", {}),
    ("enter", "officer", {"rechecked": True}),
    ("approve_entry", "it_head", {}),
]
STAGES = [
    "collection", "content_review", "secrecy_review", "publication_review", "sign_off", "entry", "entry_review",
    "published",
]  # fmt: skip


@pytest.fixture
def people(make_user, department):
    return SimpleNamespace(
        collector=make_user("staff", full_name="王小红"),
        head=make_user("dept_head", full_name="李建国"),
        secrecy=make_user("secrecy_reviewer", full_name="赵敏"),
        leader=make_user("leader", full_name="孙建华"),
        signer=make_user("leader", full_name="高志远"),
        officer=make_user("it_officer", full_name="张伟"),
        it_head=make_user("it_head", full_name="陈志强"),
    )


@pytest.fixture
def category(db):
    return Category.objects.get(name="工作动态")


@pytest.fixture
def make_item(people, category):
    """``make_item("sign_off")`` collects an item and takes it through the real workflow to that stage."""

    def make(stage="collection", *, title="内科病区新增便民服务措施", body="床旁结算，一站式服务。", **overrides):
        item = services.item_collect(by=people.collector, title=title, category=category, body=body)
        for action, actor, defaults in STEPS[: STAGES.index(stage)]:
            item = services.take_step(
                item, action, by=getattr(people, actor), **{**defaults, **overrides.get(action, {})}
            )
        return item

    return make
