"""The SLA tick sends one notice per breached clock, level reached and person, however the roles overlap."""

import datetime

import pytest
import time_machine
from django.utils import translation

from portal.models import Notification
from repairs import services

from .conftest import file_class_1

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def _titles(user):
    with translation.override("zh-hans"):
        return [note.display_title() for note in Notification.objects.filter(recipient=user).order_by("pk")]


def _ticks(clock, until):
    """Run the 15-minute tick the way beat does, aligned on the quarter hours."""
    at = START
    while at < until:
        at += datetime.timedelta(minutes=15)
        clock.move_to(at)
        services.escalate_breaches()


def test_the_it_head_hears_once_per_tick_when_two_levels_are_climbed(department, officer, it_head, leader):
    with time_machine.travel(START, tick=False) as clock:
        ticket = file_class_1(officer, department)
        assert _titles(it_head) == [f"一类故障 {ticket.number}：{department.name}"]
        _ticks(clock, START + datetime.timedelta(minutes=15))
        assert len(_titles(it_head)) == 1
        # 09:30: fifteen minutes past the 15-minute response limit, levels 1 (all IT, the unassigned
        # ticket) and 2 (the IT head) are reached at once.
        _ticks(clock, START + datetime.timedelta(minutes=30))
        assert _titles(it_head)[1:] == [f"响应超时：报修单 {ticket.number}（第 2 级升级）"]
        assert _titles(officer)[1:] == [f"响应超时：报修单 {ticket.number}（第 2 级升级）"]
        assert ticket.escalations.filter(clock="response").count() == 2
        _ticks(clock, START + datetime.timedelta(hours=5))
        assert _titles(it_head)[1:] == [
            f"响应超时：报修单 {ticket.number}（第 2 级升级）",
            f"修复超时：报修单 {ticket.number}（第 1 级升级）",
        ]
        assert _titles(leader) == [
            f"一类故障 {ticket.number}：{department.name}",
            f"响应超时：报修单 {ticket.number}（第 3 级升级）",
        ]
        assert not any("答复类型" in title for title in _titles(it_head))
    with translation.override("en"):
        assert Notification.objects.filter(recipient=it_head).first().display_title() == (
            f"Repair overdue: repair ticket {ticket.number} (level 1)"
        )


def test_a_class_1_fault_reaches_the_it_head_once_when_filed(department, officer, it_head):
    ticket = file_class_1(officer, department, device_description="HIS 服务器", description="宕机")
    assert _titles(it_head) == [f"一类故障 {ticket.number}：{department.name}"]
    assert _titles(officer) == [f"新报修单 {ticket.number}：{department.name}"]
