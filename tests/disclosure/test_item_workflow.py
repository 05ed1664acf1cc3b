from datetime import date

import pytest
import time_machine
from django.db import IntegrityError, transaction

from disclosure import services
from disclosure.models import DisclosureItem, PublicNotice
from portal.exceptions import ActionRefused
from portal.models import TransitionLog
from portal.workflow import available_actions, perform, transition_log

State = DisclosureItem.State


def test_seven_stages_in_order_each_logged_with_actor_and_opinion(make_item, people):
    item = make_item("published")
    assert item.state == State.PUBLISHED
    log = transition_log(item)
    assert [entry.actor for entry in log] == [
        people.collector,
        people.head,
        people.secrecy,
        people.leader,
        people.signer,
        people.officer,
        people.it_head,
    ]
    assert [entry.to_state for entry in log][-1] == "已发布"
    assert log[1].comment == "内容准确完整"
    assert item.published_body == item.body and item.first_published_at is not None


@time_machine.travel(date(2026, 9, 25), tick=False)
def test_sign_off_date_is_the_formation_date_and_entry_is_due_20_working_days_later(make_item):
    item = make_item("entry")
    assert item.formed_on == date(2026, 9, 25)
    # National Day: 1-7 October off, Saturday 10 October a make-up workday.
    assert item.entry_due == date(2026, 10, 29)


def test_confidentiality_review_cannot_be_skipped(make_item, people):
    item = make_item("secrecy_review")
    with pytest.raises(ActionRefused, match="待保密审查"):
        perform(item, "review_publication", by=people.leader, attribute="proactive")
    assert DisclosureItem.objects.get().state == State.SECRECY_REVIEW


def test_database_refuses_publication_review_before_confidentiality_review(make_item, people):
    item = make_item("secrecy_review")
    with pytest.raises(IntegrityError), transaction.atomic():
        DisclosureItem.objects.filter(pk=item.pk).update(publication_reviewed_at="2026-01-01T00:00:00Z")


def test_not_disclosed_without_a_reason_is_refused(make_item, people):
    item = make_item("publication_review")
    with pytest.raises(ActionRefused, match="不予公开.*原因|原因"):
        perform(item, "review_publication", by=people.leader, attribute="not_disclosed")
    assert DisclosureItem.objects.get().state == State.PUBLICATION_REVIEW
    with pytest.raises(ActionRefused):
        perform(item, "review_publication", by=people.leader, attribute="not_disclosed", withhold_reason="other")
    item = perform(
        item, "review_publication", by=people.leader, attribute="not_disclosed", withhold_reason="personal_privacy"
    )
    item = perform(item, "sign_off", by=people.signer)
    assert item.state == State.FILED and item.entry_due is None


def test_collector_may_not_review_confidentiality(make_user, category, people):
    both = make_user("staff", "secrecy_reviewer")
    item = services.item_collect(by=both, title="t", category=category, body="b")
    item = perform(item, "submit", by=both)
    item = perform(item, "approve_content", by=people.head, opinion="public")
    with pytest.raises(ActionRefused, match="采集人"):
        perform(item, "pass_secrecy", by=both)
    assert "pass_secrecy" not in [action.name for action in available_actions(item, both)]
    perform(item, "pass_secrecy", by=people.secrecy)


def test_collector_may_not_pass_content_review_even_as_department_head(make_user, category, people):
    head_collector = make_user("dept_head", full_name="刘海")
    item = services.item_collect(by=head_collector, title="科室公示", category=category, body="正文")
    item = perform(item, "submit", by=head_collector)
    with pytest.raises(ActionRefused, match="采集人不能通过其内容审核"):
        perform(item, "approve_content", by=head_collector, opinion="public")
    assert "approve_content" not in [action.name for action in available_actions(item, head_collector)]
    assert DisclosureItem.objects.get().state == State.CONTENT_REVIEW
    item = perform(item, "approve_content", by=people.head, opinion="public")
    assert item.state == State.SECRECY_REVIEW and item.content_reviewer == people.head


def test_leader_who_reviewed_for_publication_may_not_sign_off(make_item, people):
    item = make_item("sign_off")
    assert item.publication_reviewer == people.leader
    with pytest.raises(ActionRefused, match="作出公开审核的领导不能再签发"):
        perform(item, "sign_off", by=people.leader)
    assert "sign_off" not in [action.name for action in available_actions(item, people.leader)]
    assert DisclosureItem.objects.get().state == State.SIGN_OFF
    item = perform(item, "sign_off", by=people.signer)
    assert item.state == State.ENTRY and item.signed_off_by == people.signer


def test_entrant_may_not_review_own_entry(make_item, people):
    item = make_item("entry_review")
    with pytest.raises(ActionRefused, match="录入"):
        perform(item, "approve_entry", by=people.officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        DisclosureItem.objects.filter(pk=item.pk).update(entry_reviewer=people.officer)
    assert perform(item, "approve_entry", by=people.it_head).state == State.PUBLISHED


def test_only_the_source_department_head_reviews_content(make_item, make_user, other_department):
    item = make_item("content_review")
    other_head = make_user("dept_head", department=other_department)
    with pytest.raises(ActionRefused, match="科室负责人"):
        perform(item, "approve_content", by=other_head, opinion="public")
    with pytest.raises(ActionRefused):
        perform(item, "approve_content", by=make_user("staff"), opinion="public")


def test_wrong_roles_are_refused_at_each_stage(make_item, people):
    item = make_item("publication_review")
    with pytest.raises(ActionRefused, match="院领导"):
        perform(item, "review_publication", by=people.secrecy, attribute="proactive")
    item = make_item("entry", title="另一条")
    with pytest.raises(ActionRefused, match="信息科"):
        perform(item, "enter", by=people.leader, rechecked=True)


def test_entrant_must_recheck_the_content(make_item, people):
    item = make_item("entry")
    with pytest.raises(ActionRefused, match="再次确认|核对"):
        perform(item, "enter", by=people.officer, rechecked=False)


def test_secret_content_goes_back_to_the_collector(make_item, people):
    item = make_item("secrecy_review")
    item = perform(item, "flag_secret", by=people.secrecy, comment="含患者姓名")
    assert item.state == State.COLLECTION
    assert item.content_reviewer is None and item.content_reviewed_at is None


@pytest.mark.parametrize("stage", ["secrecy_review", "publication_review", "sign_off", "entry", "entry_review"])
def test_editing_after_content_review_sends_the_item_back(make_item, people, category, stage):
    item = make_item(stage)
    item = services.item_edit(item=item, by=people.collector, title=item.title, category=category, body="改动后的正文")
    assert item.state == State.CONTENT_REVIEW
    assert item.body == "改动后的正文"
    assert item.secrecy_reviewed_at is None and item.attribute == "" and item.entry_due is None
    assert TransitionLog.objects.filter(object_id=item.pk, action="revise").count() == 1


def test_editing_before_content_review_keeps_the_stage(make_item, people, category):
    item = make_item("content_review")
    item = services.item_edit(item=item, by=people.head, title="新标题", category=category, body="改")
    assert item.state == State.CONTENT_REVIEW and item.title == "新标题"


def test_an_outsider_may_not_edit(make_item, make_user, category):
    item = make_item("collection")
    with pytest.raises(ActionRefused):
        services.item_edit(item=item, by=make_user("staff"), title="x", category=category, body="y")
    item = make_item("entry", title="二")
    with pytest.raises(ActionRefused):
        services.item_edit(item=item, by=make_user("it_officer"), title="x", category=category, body="y")


def test_correction_keeps_the_old_text_public_and_restarts_the_clock(make_item, people):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        item = make_item("published", body="原文")
    with time_machine.travel(date(2026, 9, 25), tick=False):
        item = perform(item, "correct", by=people.leader, body="更正后的正文", note="原文数据有误")
        assert item.state == State.CONTENT_REVIEW
        assert DisclosureItem.objects.public().filter(pk=item.pk).exists()
        assert item.published_body == "原文"
        notice = PublicNotice.objects.get()
        assert notice.note == "原文数据有误" and notice.applied_at is None
        for action, actor, arguments in [
            ("approve_content", people.head, {"opinion": "public"}),
            ("pass_secrecy", people.secrecy, {}),
            ("review_publication", people.leader, {"attribute": "proactive"}),
            ("sign_off", people.signer, {}),
        ]:
            item = perform(item, action, by=actor, **arguments)
        assert item.formed_on == date(2026, 9, 25)
        assert item.entry_due == date(2026, 10, 29)
        item = perform(item, "enter", by=people.officer, rechecked=True)
        item = perform(item, "approve_entry", by=people.it_head)
    assert item.published_body == "更正后的正文"
    assert item.first_published_at.date() == date(2026, 3, 2)
    assert PublicNotice.objects.get().applied_at is not None


def test_withdrawal_takes_the_item_off_the_public_list(make_item, people):
    item = make_item("published")
    with pytest.raises(ActionRefused):
        perform(item, "withdraw", by=people.officer, note="x")
    item = perform(item, "withdraw", by=people.it_head, note="信息有误，撤回")
    assert item.state == State.WITHDRAWN
    assert not DisclosureItem.objects.public().exists()
    unpublished = make_item("sign_off", title="未发布")
    with pytest.raises(ActionRefused, match="已发布"):
        perform(unpublished, "withdraw", by=people.leader, note="x")


def test_only_staff_of_a_department_collect(make_user, category):
    with pytest.raises(ActionRefused):
        services.item_collect(by=make_user("leader"), title="t", category=category, body="b")
    item = services.item_collect(by=make_user("it_officer"), title="t", category=category, body="b")
    assert item.number.startswith("GK-") and item.state == State.COLLECTION
