"""Items carried out of a machine room (000 机房访问制度 4): registered, approved by the machine-room lead, then seen out."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from inspections.models import ItemRemoval
from inspections.services import take_step
from portal.exceptions import ActionRefused
from portal.models import Notification, TransitionLog
from portal.workflow import available_actions
from tests.permissions import assert_permission_matrix

from .conftest import NOON, frozen_at

_frozen = frozen_at(NOON)

NOT_APPROVED = "按《机房访问制度》第4条：未经批准，任何人员都不得将机房内的任何物品携带出机房"


@pytest.fixture
def removal(room, officer):
    return ItemRemoval.objects.create(
        room=room,
        item="故障硬盘",
        asset_number="XX-2021-0457",
        quantity=2,
        carrier="吴工",
        carrier_organisation="浪潮信息",
        reason="返厂更换",
        planned_on=datetime.date(2026, 11, 20),
        requested_by=officer,
    )


def test_an_item_is_not_carried_out_without_approval(removal, officer):
    with pytest.raises(ActionRefused) as refused:
        take_step(removal, "carry_out", by=officer)
    assert NOT_APPROVED in str(refused.value)
    removal.refresh_from_db()
    assert removal.state == ItemRemoval.State.REQUESTED and removal.carried_out_at is None
    assert "carry_out" not in [action.name for action in available_actions(removal, officer)]


def test_the_database_refuses_a_carrying_out_with_no_approval(removal):
    with transaction.atomic(), pytest.raises(IntegrityError):
        ItemRemoval.objects.filter(pk=removal.pk).update(carried_out_at=NOON)


def test_the_machine_room_lead_approves_and_who_and_when_are_recorded(removal, officer, head):
    with pytest.raises(ActionRefused) as refused:
        take_step(removal, "approve", by=officer)
    assert "信息中心主任" in str(refused.value) or "信息科主任" in str(refused.value)
    take_step(removal, "approve", by=head, comment="同意")
    removal.refresh_from_db()
    assert removal.state == ItemRemoval.State.APPROVED
    assert removal.approved_by == head and removal.approved_at == NOON
    take_step(removal, "carry_out", by=officer)
    removal.refresh_from_db()
    assert removal.state == ItemRemoval.State.CARRIED_OUT
    assert removal.released_by == officer and removal.carried_out_at == NOON
    assert list(TransitionLog.objects.filter(object_id=removal.pk).values_list("action", "actor")) == [
        ("approve", head.pk),
        ("carry_out", officer.pk),
    ]


def test_the_lead_does_not_approve_their_own_registration(room, head):
    own = ItemRemoval.objects.create(
        room=room, item="交换机", quantity=1, carrier="陈志强", reason="送修", planned_on=NOON.date(), requested_by=head
    )
    with pytest.raises(ActionRefused) as refused:
        take_step(own, "approve", by=head)
    assert "不能批准自己登记的物品带出" in str(refused.value)


def test_a_rejected_item_is_not_carried_out(removal, officer, head):
    take_step(removal, "reject", by=head, comment="硬盘未消磁")
    with pytest.raises(ActionRefused):
        take_step(removal, "carry_out", by=officer)
    assert ItemRemoval.objects.get().state == ItemRemoval.State.REJECTED


def test_registering_on_the_page_asks_the_lead(client, room, officer, head):
    client.force_login(officer)
    response = client.post(
        "/inspections/removals/new/",
        {
            "room": room.pk,
            "planned_on": "2026-11-20",
            "item": "UPS蓄电池",
            "quantity": "4",
            "carrier": "李工",
            "reason": "旧电池回收",
        },
    )
    assert response.status_code == 302
    removal = ItemRemoval.objects.get()
    assert removal.requested_by == officer and removal.state == ItemRemoval.State.REQUESTED
    assert Notification.objects.filter(recipient=head, url=removal.get_absolute_url()).count() == 1


def test_bad_input_stays_on_the_form(client, room, officer):
    client.force_login(officer)
    data = {"room": room.pk, "planned_on": "2026-11-01", "item": "UPS蓄电池", "quantity": "0", "carrier": "李工"}
    response = client.post("/inspections/removals/new/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"planned_on", "quantity", "reason"} <= set(errors)
    assert not ItemRemoval.objects.exists()


def test_the_page_refuses_carrying_out_with_the_policys_words(client, removal, officer, head):
    client.force_login(officer)
    response = client.post(f"/inspections/removals/{removal.pk}/carry_out/", follow=True)
    assert NOT_APPROVED in response.content.decode()
    assert ItemRemoval.objects.get().state == ItemRemoval.State.REQUESTED
    client.force_login(head)
    page = client.get(removal.get_absolute_url()).content.decode()
    assert "批准" in page and "登记带出" not in page
    assert client.post(f"/inspections/removals/{removal.pk}/approve/").status_code == 302
    page = client.get(removal.get_absolute_url()).content.decode()
    assert head.full_name in page and "2026-11-20 12:00" in page


def test_who_sees_the_register(client, removal, make_user, officer, head):
    readers = [officer, head, make_user("leader"), make_user("auditor")]
    outsiders = [make_user("staff"), make_user("dept_head"), make_user("hr")]
    for url in ("/inspections/removals/", removal.get_absolute_url(), f"/inspections/removals/{removal.pk}/history/"):
        assert_permission_matrix(client, url, allowed=readers, forbidden=outsiders)
    assert_permission_matrix(
        client, "/inspections/removals/new/", allowed=[officer, head], forbidden=readers[2:] + outsiders
    )
    assert_permission_matrix(client, f"/inspections/removals/{removal.pk}/approve/", forbidden=outsiders, method="post")
    assert ItemRemoval.objects.get().state == ItemRemoval.State.REQUESTED


def test_the_register_exports_its_rows(client, removal, officer):
    client.force_login(officer)
    response = client.get("/inspections/removals/?export=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "XX-2021-0457" in response.content.decode("utf-8-sig")
    xlsx = client.get("/inspections/removals/?export=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_the_demo_shows_an_approved_item_carried_out_and_one_awaiting(room, officer, head):
    from inspections.demo import _seed_removals

    _seed_removals([room], NOON.date(), officer, head)
    carried = ItemRemoval.objects.get(state=ItemRemoval.State.CARRIED_OUT)
    assert carried.approved_by == head and carried.released_by == officer
    assert ItemRemoval.objects.filter(state=ItemRemoval.State.REQUESTED).count() == 1


def test_the_it_heads_dashboard_counts_items_awaiting_approval(removal, head, officer):
    from inspections.selectors import awaiting

    counts = {item.label: item.count for item in awaiting(head)}
    assert counts["待审批的物品带出"] == 1
    assert "待审批的物品带出" not in {item.label for item in awaiting(officer)}
