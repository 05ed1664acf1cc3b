"""Action pages that are not transitions refuse by the workflow's own reason: GET 403, POST refused, never 500."""

from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Departure, Grant, PrivilegedAccount, RecertificationItem

from .helpers import provisioned


def _page(response):
    return response.content.decode()


def test_revoking_a_revoked_grant_is_403_on_get_and_refused_on_post(people, oa, client):
    grant = provisioned(people, oa)
    url = reverse("accounts:grant_revoke", args=[grant.pk])
    client.force_login(people.officer)
    assert client.get(url).status_code == 200
    client.post(url, {"comment": "离职"})
    assert Grant.objects.get(pk=grant.pk).state == Grant.State.REVOKED
    assert client.get(url).status_code == 403
    response = client.post(url, {"comment": "再次注销"})
    assert response.status_code == 200
    assert "不能办理此操作" in _page(response)


def test_the_grant_list_exports_what_it_shows(people, oa, client):
    provisioned(people, oa, account="wangxh")
    client.force_login(people.officer)
    response = client.get(reverse("accounts:grant_list") + "?export=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "wangxh" in response.content.decode("utf-8-sig")


def test_network_handover_of_a_closed_departure_is_refused_with_the_reason(people, client):
    departure = services.departure_open(
        by=people.hr, user=people.colleague, kind=Departure.Kind.DEPARTURE, last_day=timezone.localdate()
    )
    services.departure_act(departure=departure, action="cancel", by=people.hr, comment="误登记")
    client.force_login(people.it_head)
    response = client.post(reverse("accounts:departure_network_handover", args=[departure.pk]), follow=True)
    assert response.status_code == 200
    assert "已不在办理中" in _page(response)
    departure.refresh_from_db()
    assert departure.network_handover_at is None


def test_a_major_operation_page_for_a_tier_3_account_is_403(people, client):
    account = PrivilegedAccount(
        tier=3,
        kind="workstation",
        system_or_device="内科护士站电脑",
        account_name="Administrator",
        last_password_change=timezone.localdate(),
    )
    services.privileged_account_save(account=account, custodians=[people.officer], by=people.officer)
    client.force_login(people.officer)
    url = reverse("accounts:major_operation_create", args=[account.pk])
    assert client.get(url).status_code == 403
    assert not account.operations.exists()


def test_a_rotation_with_a_bad_date_keeps_the_error_next_to_its_field(people, client):
    account = PrivilegedAccount(
        tier=3,
        kind="workstation",
        system_or_device="内科护士站电脑",
        account_name="Administrator",
        last_password_change=timezone.localdate(),
    )
    services.privileged_account_save(account=account, custodians=[people.officer], by=people.officer)
    client.force_login(people.officer)
    response = client.post(reverse("accounts:privileged_account_rotation", args=[account.pk]), {"changed_on": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["changed_on"]


def test_an_answered_recertification_item_is_refused_again(people, oa, client):
    provisioned(people, oa)
    campaign = services.recertification_open_campaign(today=timezone.localdate())
    item = RecertificationItem.objects.get(campaign=campaign, grant__user=people.staff)
    client.force_login(people.head)
    url = reverse("accounts:recertification_decide", args=[item.pk, "confirmed"])
    client.post(url)
    item.refresh_from_db()
    assert item.decision == RecertificationItem.Decision.CONFIRMED
    response = client.post(reverse("accounts:recertification_decide", args=[item.pk, "revoked"]), follow=True)
    assert response.status_code == 200
    assert "已答复" in _page(response)
    item.refresh_from_db()
    assert item.decision == RecertificationItem.Decision.CONFIRMED
    detail = _page(client.get(campaign.get_absolute_url()))
    assert reverse("accounts:recertification_decide", args=[item.pk, "revoked"]) not in detail
