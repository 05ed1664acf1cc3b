"""HR sees departures and transfers, nothing else of access governance; 统方 only for roles whose work needs it (issue 13)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Departure, SensitiveQueryRequest
from portal.exceptions import ActionRefused
from tests.accounts.helpers import pledged, provisioned, submit
from tests.permissions import assert_permission_matrix


@pytest.fixture
def computer(people):
    from inventory.models import Equipment, EquipmentCategory

    category = EquipmentCategory.objects.first() or EquipmentCategory.objects.create(code="pc", name="计算机")
    return Equipment.objects.create(
        asset_no="NK-PC-01", category=category, brand="联想", department=people.staff.department
    )


def _sensitive(by):
    today = timezone.localdate()
    return services.sensitive_request_submit(
        by=pledged(by),
        purpose="合理用药点评",
        scope=SensitiveQueryRequest.Scope.DRUG_BY_DEPARTMENT,
        scope_detail="内科 抗菌药物",
        period_start=today - timedelta(days=30),
        period_end=today,
    )


@pytest.fixture
def filed(people, his, computer):
    """One request of each kind, filed by a member of 内科."""
    return {
        "request": submit(people.staff, his),
        "network_request": services.network_request_submit(by=people.staff, computer=computer, reason="查阅文献"),
        "sensitive_request": _sensitive(people.staff),
    }


@pytest.mark.parametrize("kind", ["request", "network_request", "sensitive_request"])
def test_hr_gets_403_on_every_request_list_and_page(client, people, filed, kind):
    obj = filed[kind]
    for url in (reverse(f"accounts:{kind}_list"), reverse(f"accounts:{kind}_detail", args=[obj.pk])):
        assert_permission_matrix(client, url, allowed=[people.staff, people.it_head], forbidden=[people.hr])
    assert_permission_matrix(client, reverse(f"accounts:{kind}_create"), allowed=[people.staff], forbidden=[people.hr])
    assert_permission_matrix(
        client, reverse(f"accounts:{kind}_transition", args=[obj.pk, "reject"]), method="post", forbidden=[people.hr]
    )


def test_hr_gets_403_on_a_request_form_pdf_and_history(client, people, filed):
    request = filed["request"]
    assert_permission_matrix(
        client, reverse("accounts:request_pdf", args=[request.pk]), allowed=[people.staff], forbidden=[people.hr]
    )
    assert_permission_matrix(
        client, reverse("accounts:request_history", args=[request.pk]), allowed=[people.it_head], forbidden=[people.hr]
    )


def test_hr_keeps_departures_and_transfers_but_not_grants(client, people):
    departure = services.departure_open(
        by=people.hr, user=people.colleague, kind=Departure.Kind.DEPARTURE, last_day=timezone.localdate()
    )
    for url in (
        reverse("accounts:departure_list"),
        reverse("accounts:departure_create"),
        reverse("accounts:departure_detail", args=[departure.pk]),
    ):
        assert_permission_matrix(client, url, allowed=[people.hr])
    assert_permission_matrix(client, reverse("accounts:grant_list"), allowed=[people.it_head], forbidden=[people.hr])


def test_hr_menu_shows_departures_and_no_request_or_grant_page(client, people):
    client.force_login(people.hr)
    page = client.get(reverse("accounts:departure_list")).content.decode()
    assert reverse("accounts:departure_list") in page
    for name in ("request_list", "network_request_list", "sensitive_request_list", "grant_list"):
        assert reverse(f"accounts:{name}") not in page


def test_only_roles_that_need_drug_statistics_may_file_a_query(client, people, settings):
    new = reverse("accounts:sensitive_request_create")
    for outsider in (people.officer, people.dba, people.auditor):
        assert_permission_matrix(client, new, allowed=[people.staff, people.head], forbidden=[outsider])
        client.force_login(outsider)
        assert new not in client.get(reverse("accounts:sensitive_request_list")).content.decode()
        with pytest.raises(ActionRefused, match="科室人员"):
            _sensitive(outsider)
    client.force_login(people.staff)
    assert new in client.get(reverse("accounts:sensitive_request_list")).content.decode()


def test_the_roles_that_may_file_a_query_are_a_setting(client, people, settings):
    settings.SENSITIVE_QUERY_ROLES = ["dept_head"]
    new = reverse("accounts:sensitive_request_create")
    assert_permission_matrix(client, new, allowed=[people.head], forbidden=[people.staff])
    with pytest.raises(ActionRefused, match="科室负责人"):
        _sensitive(people.staff)
    assert _sensitive(people.head).state == SensitiveQueryRequest.State.SUBMITTED


def test_hr_opens_a_user_page_without_the_access_held(client, people, his):
    provisioned(people, his)
    page = people.staff.get_absolute_url()
    client.force_login(people.hr)
    response = client.get(page)
    assert response.status_code == 200 and "王小红" in response.content.decode()
    assert 'data-testid="grants"' not in response.content.decode()
    for reader in (people.staff, people.it_head):
        client.force_login(reader)
        assert "wangxh" in client.get(page).content.decode()
