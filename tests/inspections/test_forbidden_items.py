"""A visitor's brought items checked against the forbidden list (000 机房访问制度 5)."""

import datetime

import pytest
from django.test import override_settings

from inspections.models import Visit
from inspections.policy import ForbiddenItem, forbidden_in
from inspections.services import take_step
from portal.exceptions import ActionRefused

from .conftest import NOON, frozen_at

_frozen = frozen_at(NOON)


def register(client, items, **extra):
    return client.post(
        "/inspections/visits/new/",
        {
            "room": extra.pop("room").pk,
            "visit_date": "2026-11-20",
            "visitor_name": "孙工",
            "organisation": "中国电信",
            "purpose": "医保专线光模块更换",
            "items_brought": items,
            **extra,
        },
    )


def test_the_policys_list_names_what_a_visitor_brings():
    assert [str(item) for item in forbidden_in("笔记本电脑、矿泉水一瓶、录音笔")] == [
        "食品和饮料（包括水）",
        "照相机及录音器材",
    ]
    assert forbidden_in("笔记本电脑、光功率计") == []


def test_the_form_warns_naming_the_item_until_the_visitor_is_told(client, room, officer):
    client.force_login(officer)
    response = register(client, "光功率计、矿泉水一瓶", room=room)
    assert response.status_code == 200
    page = response.content.decode()
    assert "按《机房访问制度》第5条" in page and "食品和饮料（包括水）" in page
    assert not Visit.objects.exists()
    assert register(client, "光功率计、矿泉水一瓶", room=room, told_of_forbidden="on").status_code == 302
    assert Visit.objects.get().forbidden_items_found == "食品和饮料（包括水）"


def test_the_visit_page_shows_the_warning_to_the_approver(client, room, officer, head):
    visit = Visit.objects.create(
        room=room,
        visitor_name="孙工",
        organisation="中国电信",
        purpose="光模块更换",
        visit_date=datetime.date(2026, 11, 20),
        items_brought="照相机",
        requested_by=officer,
    )
    client.force_login(head)
    page = client.get(visit.get_absolute_url()).content.decode()
    assert 'data-testid="forbidden-found"' in page and "照相机及录音器材" in page
    assert "照相机及录音器材" in client.get("/inspections/visits/").content.decode()
    take_step(visit, "approve", by=head)
    with pytest.raises(ActionRefused) as refused:
        take_step(visit, "check_in", by=officer, escort=officer)
    assert "按《机房访问制度》第5条" in str(refused.value) and "照相机及录音器材" in str(refused.value)
    take_step(visit, "check_in", by=officer, escort=officer, comment="照相机寄存在值班室")
    assert Visit.objects.get().state == Visit.State.CHECKED_IN


def test_a_visit_with_nothing_forbidden_is_checked_in_without_a_comment(room, officer, head):
    visit = Visit.objects.create(
        room=room,
        visitor_name="赵工",
        organisation="东软集团",
        purpose="升级",
        visit_date=datetime.date(2026, 11, 20),
        items_brought="笔记本电脑",
        requested_by=officer,
    )
    assert visit.forbidden_items_found == ""
    take_step(visit, "approve", by=head)
    take_step(visit, "check_in", by=officer, escort=officer)
    assert Visit.objects.get().state == Visit.State.CHECKED_IN


@override_settings(MACHINE_ROOM_FORBIDDEN_ITEMS=[ForbiddenItem("U盘", ("U盘",))])
def test_the_list_is_configurable_in_settings():
    assert [str(item) for item in forbidden_in("U盘一个、矿泉水")] == ["U盘"]
