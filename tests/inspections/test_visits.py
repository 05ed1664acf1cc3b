import datetime

import pytest
import time_machine

from inspections.models import Visit
from inspections.selectors import visitors_in_room
from portal.exceptions import ActionRefused
from portal.models import Notification, TransitionLog
from portal.workflow import available_actions, perform

from .conftest import NOON, frozen_at

TODAY = NOON.replace(hour=9)

_frozen = frozen_at(TODAY)


@pytest.fixture
def visit(room, officer):
    return Visit.objects.create(
        room=room,
        visitor_name="钱工",
        organisation="华为技术服务",
        purpose="核心交换机固件升级",
        visit_date=datetime.date(2026, 11, 20),
        items_brought="笔记本电脑",
        requested_by=officer,
    )


def test_visitor_cannot_be_checked_in_without_approval(visit, officer):
    with pytest.raises(ActionRefused) as refused:
        perform(visit, "check_in", by=officer, escort=officer)
    assert "当前状态为“待审批”" in str(refused.value)
    visit.refresh_from_db()
    assert visit.state == Visit.State.REQUESTED and visit.checked_in_at is None
    assert "check_in" not in [action.name for action in available_actions(visit, officer)]


def test_only_the_machine_room_lead_approves_and_not_their_own_registration(visit, officer, head):
    with pytest.raises(ActionRefused):
        perform(visit, "approve", by=officer)
    own = Visit.objects.create(
        room=visit.room,
        visitor_name="李工",
        organisation="山特电气",
        purpose="UPS检测",
        visit_date=visit.visit_date,
        requested_by=head,
    )
    with pytest.raises(ActionRefused):
        perform(own, "approve", by=head)
    perform(visit, "approve", by=head, comment="同意，张伟陪同")
    visit.refresh_from_db()
    assert visit.state == Visit.State.APPROVED and visit.approved_by == head


def test_check_in_needs_an_escort_from_it(visit, officer, head, make_user):
    perform(visit, "approve", by=head)
    nurse = make_user("staff")
    with pytest.raises(ActionRefused):
        perform(visit, "check_in", by=officer, escort=nurse)
    with pytest.raises(ActionRefused):
        perform(visit, "check_in", by=officer, escort=None)
    assert Visit.objects.get().state == Visit.State.APPROVED
    perform(visit, "check_in", by=officer, escort=officer)
    visit.refresh_from_db()
    assert visit.state == Visit.State.CHECKED_IN and visit.escort == officer and visit.checked_in_at is not None
    assert list(visitors_in_room()) == [visit]
    with time_machine.travel(TODAY + datetime.timedelta(hours=1), tick=False):
        perform(visit, "check_out", by=officer)
    visit.refresh_from_db()
    assert visit.checked_out_at - visit.checked_in_at == datetime.timedelta(hours=1)
    assert list(visitors_in_room()) == []
    assert TransitionLog.objects.filter(object_id=visit.pk).count() == 3


def test_check_in_only_on_the_approved_day(visit, officer, head):
    perform(visit, "approve", by=head)
    with time_machine.travel(TODAY + datetime.timedelta(days=1), tick=False), pytest.raises(ActionRefused):
        perform(visit, "check_in", by=officer, escort=officer)


def test_registering_a_visit_asks_the_it_head(client, room, officer, head):
    client.force_login(officer)
    response = client.post(
        "/inspections/visits/new/",
        {
            "room": room.pk,
            "visit_date": "2026-11-20",
            "visitor_name": "周工",
            "organisation": "消防维保公司",
            "purpose": "气体灭火系统年检",
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.requested_by == officer and visit.state == Visit.State.REQUESTED
    assert Notification.objects.filter(recipient=head, url=visit.get_absolute_url()).count() == 1


def test_visit_in_the_past_is_refused_next_to_the_field(client, room, officer):
    client.force_login(officer)
    response = client.post(
        "/inspections/visits/new/",
        {
            "room": room.pk,
            "visit_date": "2026-11-01",
            "visitor_name": "周工",
            "organisation": "消防维保公司",
            "purpose": "年检",
        },
    )
    assert response.status_code == 200
    assert "周工" in response.content.decode()
    assert response.context["form"].errors["visit_date"]
    assert not Visit.objects.exists()


def test_check_in_page_lists_only_it_staff_as_escorts(client, visit, officer, head, make_user):
    nurse = make_user("staff", full_name="护士甲")
    perform(visit, "approve", by=head)
    client.force_login(officer)
    page = client.get(f"/inspections/visits/{visit.pk}/check_in/").content.decode()
    assert officer.full_name in page and "护士甲" not in page
    response = client.post(f"/inspections/visits/{visit.pk}/check_in/", {"escort": nurse.pk})
    assert response.status_code == 200
    response = client.post(f"/inspections/visits/{visit.pk}/check_in/", {"escort": officer.pk})
    assert response.status_code == 302
    assert Visit.objects.get().state == Visit.State.CHECKED_IN


def test_visitor_id_numbers_show_only_their_last_four_characters(client, visit, officer):
    visit.id_number = "11010519900307123X"
    visit.save()
    client.force_login(officer)
    for url in ("/inspections/visits/", visit.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "11010519900307123X" not in page, url
        assert "**************123X" in page, url
