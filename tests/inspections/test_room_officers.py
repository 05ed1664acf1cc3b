"""Officers assigned to machine rooms (django-guardian): an assigned officer records rounds only in their rooms."""

import datetime

import pytest
from django.urls import reverse

from inspections import services
from inspections.models import MachineRoom
from portal.exceptions import ActionRefused
from portal.models import SecurityEvent


@pytest.fixture
def server_room(db):
    return MachineRoom.objects.create(
        name="备用机房", location="住院楼一楼", commissioned_on=datetime.date(2026, 11, 20)
    )


def test_an_officer_with_no_room_records_every_room(daily, room, server_room, officer):
    assert services.round_start(template=daily, room=server_room, by=officer).room == server_room


def test_an_assigned_officer_records_only_their_rooms(daily, room, server_room, officer, head):
    services.room_assign(room=room, officer=officer, by=head)
    assert services.round_start(template=daily, room=room, by=officer).room == room
    with pytest.raises(ActionRefused, match="不在分配给您的机房之列"):
        services.round_start(template=daily, room=server_room, by=officer)
    services.room_unassign(room=room, officer=officer, by=head)
    assert services.round_start(template=daily, room=server_room, by=officer).room == server_room


def test_only_the_it_head_assigns_and_only_it_staff_are_assigned(room, officer, head, make_user):
    with pytest.raises(ActionRefused, match="只有信息科主任"):
        services.room_assign(room=room, officer=officer, by=officer)
    with pytest.raises(ActionRefused, match="只有信息科人员"):
        services.room_assign(room=room, officer=make_user("staff"), by=head)


def test_the_room_page_lists_and_assigns_officers(client, room, officer, head):
    client.force_login(head)
    assert "未分配:所有信息科工程师均可巡检" in client.get(room.get_absolute_url()).content.decode()
    url = reverse("inspections:room_officers", args=[room.pk])
    response = client.post(url, {"officer": officer.pk, "change": "assign"}, follow=True)
    assert "张伟" in response.content.decode().split('data-testid="room-officers"')[1].split("</p>")[0]
    assert list(services.room_officers(room)) == [officer]
    assert SecurityEvent.objects.get(kind=SecurityEvent.Kind.PERMISSION_CHANGE).what == "中心机房: 张伟"
    client.force_login(officer)
    assert client.post(url, {"officer": officer.pk, "change": "unassign"}).status_code == 403
    assert 'data-testid="assign-officer"' not in client.get(room.get_absolute_url()).content.decode()


def test_the_persons_page_shows_their_rooms(client, room, officer, head):
    services.room_assign(room=room, officer=officer, by=head)
    client.force_login(head)
    page = client.get(officer.get_absolute_url()).content.decode()
    assert "中心机房" in page.split('data-testid="object-permissions"')[1]
