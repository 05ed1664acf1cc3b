from datetime import date

import pytest
import time_machine

from disclosure import services
from disclosure.models import DisclosureRequest
from portal.exceptions import ActionRefused
from portal.models import CalendarDay
from portal.workflow import perform

State = DisclosureRequest.State


@pytest.fixture
def officer(make_user):
    return make_user("it_officer")


@pytest.fixture
def register(officer):
    def do(received_on, **fields):
        data = {
            "applicant_kind": "person", "applicant_name": "刘某某", "applicant_id_no": "450802198805120000",
            "contact_phone": "0775-1234567", "content": "本人住院费用明细", "channel": "letter", **fields,
        }  # fmt: skip
        return services.request_register(by=officer, received_on=received_on, **data)

    return do


@time_machine.travel(date(2026, 2, 13), tick=False)
def test_friday_before_spring_festival_is_due_after_the_holiday(register):
    # Received Friday 13 Feb (does not count); Saturday 14 Feb is a make-up workday (1); 15-23 Feb are off;
    # 24-27 Feb (5), Saturday 28 Feb make-up (6), 2-6 Mar (11), 9-13 Mar (16), 16-19 Mar (20).
    request = register(date(2026, 2, 13))
    assert request.due_on == date(2026, 3, 19)
    assert request.number.startswith("YSQ-2026-")


@time_machine.travel(date(2026, 4, 3), tick=False)
def test_friday_before_qingming_skips_the_long_weekend_and_labour_day(register):
    assert register(date(2026, 4, 3)).due_on == date(2026, 5, 7)


def test_year_boundary_uses_the_override_table(register):
    with time_machine.travel(date(2026, 12, 18), tick=False):
        # 2027 is not in chinese-calendar: without overrides, 1 January 2027 (a Friday) would count.
        assert register(date(2026, 12, 18)).due_on == date(2027, 1, 15)
        CalendarDay.objects.create(date=date(2027, 1, 1), is_workday=False, name="元旦")
        assert register(date(2026, 12, 18), applicant_name="陈某").due_on == date(2027, 1, 18)


def test_receipt_date_in_the_future_is_refused(register):
    with pytest.raises(ActionRefused):
        register(date(2099, 1, 1))


def test_one_extension_of_at_most_20_working_days_by_a_leader(register, make_user, officer):
    leader = make_user("leader")
    with time_machine.travel(date(2026, 3, 2), tick=False):
        request = register(date(2026, 3, 2))
        assert request.due_on == date(2026, 3, 30)
        with pytest.raises(ActionRefused, match="院领导"):
            perform(request, "extend", by=officer, days=10, reason="需调档", notified_on=date(2026, 3, 2))
        with pytest.raises(ActionRefused, match="1至20"):
            perform(request, "extend", by=leader, days=21, reason="需调档", notified_on=date(2026, 3, 2))
        request = perform(request, "extend", by=leader, days=20, reason="需调档", notified_on=date(2026, 3, 2))
        assert request.due_on == date(2026, 4, 28)
        assert request.extension_approved_by == leader and request.extension_notified_on == date(2026, 3, 2)
        with pytest.raises(ActionRefused, match="只能延长一次"):
            perform(request, "extend", by=leader, days=5, reason="再延", notified_on=date(2026, 3, 2))


def test_extension_after_the_due_date_is_refused(register, make_user):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        request = register(date(2026, 3, 2))
    with time_machine.travel(date(2026, 3, 31), tick=False), pytest.raises(ActionRefused, match="期限届满前"):
        perform(request, "extend", by=make_user("leader"), days=5, reason="晚了", notified_on=date(2026, 3, 31))


def test_clarification_stops_the_clock_until_the_corrected_request_arrives(register, officer):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        request = register(date(2026, 3, 2))
    with time_machine.travel(date(2026, 3, 5), tick=False):
        request = perform(request, "request_clarification", by=officer, note="请写明就诊时间")
        assert request.state == State.AWAITING_CLARIFICATION and request.due_on is None
    with time_machine.travel(date(2026, 3, 20), tick=False):
        request = perform(request, "receive_clarification", by=officer, received_on=date(2026, 3, 16))
    # 20 working days after Monday 16 March, with Monday 6 April (Qingming) off.
    assert request.state == State.OPEN
    assert request.due_on == date(2026, 4, 14)


def test_clarification_only_within_7_working_days_and_only_once(register, officer):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        request = register(date(2026, 3, 2))
    with time_machine.travel(date(2026, 3, 12), tick=False), pytest.raises(ActionRefused, match="7个工作日"):
        perform(request, "request_clarification", by=officer, note="迟了")
    with time_machine.travel(date(2026, 3, 11), tick=False):
        request = perform(request, "request_clarification", by=officer, note="请补充")
        request = perform(request, "receive_clarification", by=officer, received_on=date(2026, 3, 11))
        with pytest.raises(ActionRefused, match="一次"):
            perform(request, "request_clarification", by=officer, note="再补充")


def test_third_party_consultation_does_not_count(register, officer):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        request = register(date(2026, 3, 2))
    with time_machine.travel(date(2026, 3, 9), tick=False):
        request = perform(request, "start_consultation", by=officer, party="检验科")
        # While waiting, the full 15 working days are held back: 20 + 15 working days after 2 March.
        assert request.due_on == date(2026, 4, 21)
    with time_machine.travel(date(2026, 3, 16), tick=False):
        request = perform(request, "end_consultation", by=officer, ended_on=date(2026, 3, 16))
    assert request.paused_working_days == 5
    assert request.due_on == date(2026, 4, 7)


@time_machine.travel(date(2026, 3, 20), tick=False)
def test_every_legal_response_type_and_the_ones_that_need_detail(register, officer):
    types = [choice for choice, _ in DisclosureRequest.ResponseType.choices]
    assert len(types) == 7
    for index, response_type in enumerate(types):
        request = register(date(2026, 3, 2), applicant_name=f"申请人{index}")
        if response_type in DisclosureRequest.DETAIL_REQUIRED:
            with pytest.raises(ActionRefused, match="理由|途径"):
                perform(request, "respond", by=officer, response_type=response_type, responded_on=date(2026, 3, 20))
        request = perform(
            request, "respond", by=officer, response_type=response_type, response_detail="见医院网站信息公开栏目",
            responded_on=date(2026, 3, 20),
        )  # fmt: skip
        assert request.state == State.ANSWERED and not request.is_overdue


def test_overdue_is_flagged(register):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        request = register(date(2026, 3, 2))
    with time_machine.travel(date(2026, 3, 31), tick=False):
        assert request.is_overdue and request.working_days_overdue == 1
    with time_machine.travel(date(2026, 3, 30), tick=False):
        assert not request.is_overdue and request.working_days_left == 0
