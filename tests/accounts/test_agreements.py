"""Signed agreements on record before the work that needs them (保密制度 7, 防统方 四)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Agreement, SensitiveQueryRequest
from portal.exceptions import ActionRefused
from tests.permissions import assert_permission_matrix


def _ask_for_statistics(user):
    today = timezone.localdate()
    return services.sensitive_request_submit(
        by=user,
        purpose="合理用药点评",
        scope=SensitiveQueryRequest.Scope.DRUG_BY_DEPARTMENT,
        scope_detail="内科 抗菌药物",
        period_start=today,
        period_end=today + timedelta(days=7),
    )


def test_no_statistics_request_without_the_signed_pledge(people, client):
    with pytest.raises(ActionRefused, match="保密承诺书"):
        _ask_for_statistics(people.staff)
    assert not SensitiveQueryRequest.objects.exists()

    client.force_login(people.hr)
    response = client.post(
        reverse("accounts:agreement_create"),
        {"signatory": people.staff.pk, "kind": "statistics_pledge", "signed_on": timezone.localdate().isoformat()},
        follow=True,
    )
    assert people.staff.full_name in response.content.decode()
    assert _ask_for_statistics(people.staff).state == SensitiveQueryRequest.State.SUBMITTED


def test_a_pledge_withdrawn_no_longer_counts(people):
    services.agreement_record(
        signatory=people.staff, kind="statistics_pledge", signed_on=timezone.localdate(), by=people.it_head
    )
    Agreement.objects.update(withdrawn_at=timezone.now())
    with pytest.raises(ActionRefused, match="保密承诺书"):
        _ask_for_statistics(people.staff)


def test_a_signing_date_in_the_future_is_refused_with_what_was_typed_kept(people, client):
    client.force_login(people.it_head)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        reverse("accounts:agreement_create"),
        {"signatory": people.officer.pk, "kind": "confidentiality", "signed_on": tomorrow, "note": "入职签署"},
    )
    text = response.content.decode()
    assert response.status_code == 200 and "签署日期不能晚于今天" in text and "入职签署" in text
    assert not Agreement.objects.exists()


def test_the_register_is_for_the_it_head_hr_and_the_auditor(people, client):
    services.agreement_record(
        signatory=people.officer, kind="confidentiality", signed_on=timezone.localdate(), by=people.hr
    )
    assert_permission_matrix(
        client,
        reverse("accounts:agreement_list"),
        allowed=[people.it_head, people.hr, people.auditor],
        forbidden=[people.officer, people.staff, people.head],
    )
    assert_permission_matrix(
        client, reverse("accounts:agreement_create"), allowed=[people.it_head, people.hr], forbidden=[people.auditor]
    )
    with pytest.raises(ActionRefused, match="人事科"):
        services.agreement_record(
            signatory=people.staff, kind="statistics_pledge", signed_on=timezone.localdate(), by=people.officer
        )
