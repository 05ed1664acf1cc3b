"""Each step tells whoever acts next, through the one entry point; notices are the steps' effects."""

from datetime import date

import pytest
import time_machine

from disclosure import services
from disclosure.models import PublicNotice
from portal.models import Notification


@pytest.fixture(autouse=True)
def _fresh_inbox(db):
    Notification.objects.all().delete()


def _inbox(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def _told():
    """Who was told anything since the last look, by recipient; the inbox is emptied."""
    told = {note.recipient: note.title for note in Notification.objects.select_related("recipient")}
    Notification.objects.all().delete()
    return told


def test_each_review_step_tells_the_next_reviewers(make_item, make_user, other_department, people):
    other_head = make_user("dept_head", department=other_department)
    item = make_item("collection")
    Notification.objects.all().delete()

    item = services.take_step(item, "submit", by=people.collector)
    assert _told() == {people.head: f"公开信息 {item.number} 待您处理：待内容审核"}
    assert _inbox(other_head) == []

    item = services.take_step(item, "approve_content", by=people.head, opinion="public", comment="同意")
    assert _told() == {people.secrecy: f"公开信息 {item.number} 待您处理：待保密审查"}

    item = services.take_step(item, "pass_secrecy", by=people.secrecy)
    assert _told() == {
        people.leader: f"公开信息 {item.number} 待您处理：待公开审核",
        people.signer: f"公开信息 {item.number} 待您处理：待公开审核",
    }

    item = services.take_step(item, "review_publication", by=people.leader, attribute="proactive")
    assert _told() == {people.signer: f"公开信息 {item.number} 待您处理：待签发"}

    item = services.take_step(item, "sign_off", by=people.signer)
    assert set(_told()) == {people.officer, people.it_head}

    item = services.take_step(item, "enter", by=people.officer, rechecked=True)
    assert _told() == {people.it_head: f"公开信息 {item.number} 待您处理：待录入审核"}

    item = services.take_step(item, "approve_entry", by=people.it_head)
    assert _told() == {people.collector: f"公开信息 {item.number}：已发布"}


def test_the_collector_is_not_asked_to_review_their_own_item(make_user, category, people):
    both = make_user("staff", "secrecy_reviewer")
    item = services.item_collect(by=both, title="t", category=category, body="b")
    item = services.take_step(item, "submit", by=both)
    services.take_step(item, "approve_content", by=people.head, opinion="public", comment="同意")
    assert _inbox(both) == []
    assert _inbox(people.secrecy) == [f"公开信息 {item.number} 待您处理：待保密审查"]


@pytest.mark.parametrize(
    ("stage", "action", "actor", "arguments"),
    [
        ("content_review", "return_content", "head", {}),
        ("secrecy_review", "flag_secret", "secrecy", {}),
    ],
)
def test_a_returned_item_tells_its_collector_why(make_item, people, stage, action, actor, arguments):
    item = make_item(stage)
    Notification.objects.all().delete()
    services.take_step(item, action, by=getattr(people, actor), comment="含患者姓名", **arguments)
    note = Notification.objects.get()
    assert note.recipient == people.collector
    assert note.title == f"公开信息 {item.number} 已退回给您" and note.body == "含患者姓名"


def test_a_correction_posts_its_public_notice_and_asks_for_content_review_again(make_item, people):
    item = make_item("published")
    Notification.objects.all().delete()
    item = services.take_step(item, "correct", by=people.leader, body="更正后的正文", note="数据有误")
    notice = PublicNotice.objects.get()
    assert (notice.kind, notice.note, notice.made_by, notice.applied_at) == (
        "correction",
        "数据有误",
        people.leader,
        None,
    )
    assert _inbox(people.head) == [f"公开信息 {item.number} 待您处理：待内容审核"]


def test_a_withdrawal_posts_its_notice_at_the_moment_of_withdrawal(make_item, people):
    item = services.take_step(make_item("published"), "withdraw", by=people.it_head, note="信息有误，撤回")
    notice = PublicNotice.objects.get()
    assert notice.kind == "withdrawal" and notice.applied_at == item.withdrawn_at


def test_an_approved_extension_tells_the_disclosure_office(make_user):
    officer, it_head, leader = make_user("it_officer"), make_user("it_head"), make_user("leader")
    with time_machine.travel(date(2026, 3, 2), tick=False):
        request = services.request_register(
            by=officer, received_on=date(2026, 3, 2), applicant_kind="person", applicant_name="刘某",
            applicant_id_no="1", contact_phone="1", content="c", channel="letter",
        )  # fmt: skip
        request = services.take_step(
            request, "extend", by=leader, days=20, reason="需调档", notified_on=date(2026, 3, 2)
        )
    expected = [f"依申请公开申请 {request.number} 的答复期限已延长至 2026-04-28"]
    assert _inbox(officer) == expected and _inbox(it_head) == expected
    assert _inbox(leader) == []
