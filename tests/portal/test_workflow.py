import threading

import pytest
from django.db import connection

from portal.exceptions import ActionRefused
from portal.models import TransitionLog
from portal.workflow import available_actions, perform, transition_log
from tests.testapp.models import Voucher


@pytest.fixture
def applicant(make_user):
    return make_user("staff", "dept_head")


@pytest.fixture
def head(make_user):
    return make_user("dept_head")


def test_transition_is_logged_with_actor_states_and_comment(applicant, head):
    voucher = Voucher.objects.create(title="采购", amount=10, applicant=applicant)
    perform(voucher, "submit", by=applicant, comment="请审批")
    voucher = perform(voucher, "approve", by=head, comment="同意")
    assert voucher.state == Voucher.State.APPROVED
    assert voucher.approver == head
    log = transition_log(voucher)
    assert [(e.action, e.from_state, e.to_state, e.actor, e.comment) for e in log] == [
        ("提交", "草稿", "已提交", applicant, "请审批"),
        ("批准", "已提交", "已批准", head, "同意"),
    ]


def test_wrong_state_is_refused_with_the_current_state(applicant, head):
    voucher = Voucher.objects.create(title="采购", amount=10, applicant=applicant)
    with pytest.raises(ActionRefused, match="草稿"):
        perform(voucher, "approve", by=head)
    assert Voucher.objects.get().state == Voucher.State.DRAFT
    assert not TransitionLog.objects.exists()


def test_failed_condition_gives_its_reason(applicant):
    voucher = Voucher.objects.create(title="采购", amount=0, applicant=applicant)
    with pytest.raises(ActionRefused, match="金额必须大于零"):
        perform(voucher, "submit", by=applicant)


def test_wrong_role_is_refused_and_named(applicant, make_user):
    voucher = Voucher.objects.create(title="采购", amount=5, applicant=applicant, state=Voucher.State.SUBMITTED)
    with pytest.raises(ActionRefused, match="科室负责人"):
        perform(voucher, "approve", by=make_user("it_officer"))


def test_no_one_approves_their_own_request(applicant):
    voucher = Voucher.objects.create(title="采购", amount=5, applicant=applicant, state=Voucher.State.SUBMITTED)
    with pytest.raises(ActionRefused, match="不能审批本人"):
        perform(voucher, "approve", by=applicant)
    assert "approve" not in [a.name for a in available_actions(voucher, applicant)]


def test_buttons_are_the_allowed_actions(applicant, head):
    voucher = Voucher.objects.create(title="采购", amount=5, applicant=applicant, state=Voucher.State.SUBMITTED)
    assert [a.label for a in available_actions(voucher, head)] == ["批准"]


def test_log_is_append_only(applicant):
    voucher = Voucher.objects.create(title="采购", amount=5, applicant=applicant)
    perform(voucher, "submit", by=applicant)
    entry = TransitionLog.objects.get()
    entry.comment = "改写"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


def test_stale_copy_cannot_approve_twice(applicant, head, make_user):
    other_head = make_user("dept_head")
    voucher = Voucher.objects.create(title="采购", amount=5, applicant=applicant, state=Voucher.State.SUBMITTED)
    stale = Voucher.objects.get(pk=voucher.pk)
    perform(voucher, "approve", by=head)
    with pytest.raises(ActionRefused):
        perform(stale, "approve", by=other_head)
    assert Voucher.objects.get().approver == head
    assert TransitionLog.objects.filter(action="approve").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_approvals_cannot_both_win(make_user):
    applicant, first, second = make_user("staff"), make_user("dept_head"), make_user("dept_head")
    voucher = Voucher.objects.create(title="采购", amount=5, applicant=applicant, state=Voucher.State.SUBMITTED)
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(user):
        try:
            copy = Voucher.objects.get(pk=voucher.pk)
            barrier.wait()
            perform(copy, "approve", by=user)
            outcomes.append("ok")
        except ActionRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert TransitionLog.objects.filter(action="approve").count() == 1
