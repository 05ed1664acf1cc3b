from datetime import date

import time_machine

from disclosure import services, tasks
from portal.models import CalendarDay, Notification, TaskRun
from portal.workflow import perform


def _titles(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_calendar_alert_from_1_december_once_per_week_to_it_head_and_superusers(make_user):
    it_head, admin, officer = make_user("it_head"), make_user(is_superuser=True), make_user("it_officer")
    with time_machine.travel(date(2026, 11, 30), tick=False):
        tasks.check_next_year_calendar.delay()
    assert not Notification.objects.exists()
    with time_machine.travel(date(2026, 12, 1), tick=False):
        tasks.check_next_year_calendar.delay()
        tasks.check_next_year_calendar.delay()
    assert _titles(it_head) == ["工作日日历中缺少 2027 年的节假日安排"]
    assert len(_titles(admin)) == 1 and _titles(officer) == []
    assert TaskRun.objects.get(name="disclosure.tasks.check_next_year_calendar").outcome == "ok"
    with time_machine.travel(date(2026, 12, 8), tick=False):
        tasks.check_next_year_calendar.delay()
    assert len(_titles(it_head)) == 2


def test_no_calendar_alert_once_next_year_is_entered(make_user):
    it_head = make_user("it_head")
    CalendarDay.objects.create(date=date(2027, 1, 1), is_workday=False, name="元旦")
    with time_machine.travel(date(2026, 12, 1), tick=False):
        assert services.alert_missing_calendar(date(2026, 12, 1)) is False
    assert _titles(it_head) == []


def _register(officer, **fields):
    data = {"applicant_kind": "person", "applicant_name": "刘某某", "applicant_id_no": "1", "contact_phone": "1",
            "content": "费用清单", "channel": "letter", **fields}  # fmt: skip
    with time_machine.travel(date(2026, 3, 2), tick=False):
        return services.request_register(by=officer, received_on=date(2026, 3, 2), **data)


def test_request_reminders_before_the_deadline_and_when_overdue_sent_once(make_user):
    officer = make_user("it_officer")
    request = _register(officer)
    assert request.due_on == date(2026, 3, 30)
    with time_machine.travel(date(2026, 3, 20), tick=False):
        tasks.remind_disclosure_deadlines.delay()
    assert _titles(officer) == []
    with time_machine.travel(date(2026, 3, 25), tick=False):
        tasks.remind_disclosure_deadlines.delay()
        tasks.remind_disclosure_deadlines.delay()
    assert _titles(officer) == [f"依申请公开申请 {request.number} 将于 2026-03-30 到期"]
    with time_machine.travel(date(2026, 3, 31), tick=False):
        tasks.remind_disclosure_deadlines.delay()
        tasks.remind_disclosure_deadlines.delay()
    assert _titles(officer)[0] == f"依申请公开申请 {request.number} 已逾期（期限 2026-03-30）"
    assert len(_titles(officer)) == 2


def test_answered_requests_get_no_reminder(make_user):
    officer = make_user("it_officer")
    request = _register(officer, applicant_name="李某", content="床位数", channel="online")
    with time_machine.travel(date(2026, 3, 2), tick=False):
        perform(request, "respond", by=officer, response_type="disclosed", responded_on=date(2026, 3, 2))
    with time_machine.travel(date(2026, 4, 30), tick=False):
        tasks.remind_disclosure_deadlines.delay()
    assert _titles(officer) == []


def test_entry_deadline_reminder(make_item, people):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        item = make_item("entry")
    assert item.entry_due == date(2026, 3, 30)
    Notification.objects.all().delete()  # the review steps' own notices (test_effects.py)
    with time_machine.travel(date(2026, 3, 26), tick=False):
        tasks.remind_disclosure_deadlines.delay()
        tasks.remind_disclosure_deadlines.delay()
    assert _titles(people.officer) == [f"{item.number} 须于 2026-03-30 前完成录入"]
