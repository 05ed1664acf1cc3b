from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts import services, stats, tasks
from accounts.models import Grant, RecertificationCampaign, RecertificationItem, SensitiveQueryLog
from accounts.selectors import awaiting
from portal.exceptions import ActionRefused
from portal.models import Notification

from .helpers import provisioned, submit


def test_quarterly_campaign_asks_each_head_once_and_revocations_become_it_tasks(people, his, oa, client):
    staff_grant = provisioned(people, his)
    head_grant = Grant.objects.create(user=people.head, system=oa, account_name="lijg")
    tasks.open_recertification_campaign()
    tasks.open_recertification_campaign()
    campaign = RecertificationCampaign.objects.get()
    assert campaign.quarter == services.quarter_of(timezone.localdate())
    assert RecertificationItem.objects.get(grant=staff_grant).reviewer == people.head
    assert (
        RecertificationItem.objects.get(grant=head_grant).reviewer == people.it_head
    )  # no one recertifies their own access
    assert Notification.objects.filter(recipient=people.head, title__contains="权限复核").count() == 1

    item = RecertificationItem.objects.get(grant=staff_grant)
    with pytest.raises(ActionRefused, match="指定的复核人"):
        services.recertification_decide(item=item, decision="revoked", by=people.other_head)
    client.force_login(people.head)
    client.post(reverse("accounts:recertification_decide", args=[item.pk, "revoked"]))
    item.refresh_from_db()
    assert item.decision == RecertificationItem.Decision.REVOKED
    staff_grant.refresh_from_db()
    assert (staff_grant.state, staff_grant.revocation_reason) == (
        Grant.State.REVOCATION_DUE,
        Grant.RevocationReason.RECERTIFICATION,
    )
    with pytest.raises(ActionRefused, match="已答复"):
        services.recertification_decide(item=item, decision="confirmed", by=people.head)
    client.force_login(people.other_head)
    assert client.post(reverse("accounts:recertification_decide", args=[item.pk, "confirmed"])).status_code == 404


def test_unanswered_items_escalate_once_after_the_answer_date(people, oa):
    provisioned(people, oa)
    campaign = services.recertification_open_campaign(today=timezone.localdate())
    assert services.recertification_escalate() == 0
    with time_machine.travel(timezone.now() + timedelta(days=20)):
        assert services.recertification_escalate() == 1
        assert services.recertification_escalate() == 0
    assert Notification.objects.filter(recipient=people.leader, title__contains="逾期未答复").count() == 1
    assert campaign.items.get().escalated_at is not None


def test_stats_count_requests_processing_departures_rotations_and_queries(people, his, oa):
    provisioned(people, his)
    provisioned(people, oa)
    rejected = submit(people.colleague, oa)
    services.permission_request_act(request=rejected, action="reject", by=people.head, comment="不需要")
    today = timezone.localdate()
    rows = stats.requests_by_type_and_system(today, today)
    assert {(row["system_code"], row["kind"], row["count"]) for row in rows} == {("HIS", "add", 1), ("OA", "add", 2)}
    assert stats.requests_by_type_and_system(today, today, department=people.other_head.department) == []
    processing = stats.request_processing_time(today, today)
    assert processing["completed"] == 2 and processing["median_hours"] is not None

    departure = services.departure_open(by=people.hr, user=people.colleague, kind="departure", last_day=today)
    services.departure_act(departure=departure, action="complete", by=people.hr)
    cleared = stats.departures_cleared(today, today)
    assert (cleared["departures"], cleared["transfers"]) == (1, 0)

    from accounts.models import PrivilegedAccount

    services.privileged_account_save(
        account=PrivilegedAccount(
            tier=1,
            kind="database",
            system_or_device="HIS 库",
            account_name="sys",
            last_password_change=today - timedelta(days=100),
        ),
        custodians=[people.dba, people.it_head],
        by=people.it_head,
    )
    assert stats.overdue_rotations() == {1: 1, 2: 0, 3: 0}

    SensitiveQueryLog.objects.create(
        computer_no="A", operator_code="B", run_at=timezone.now(), scope="x", recorded_by=people.officer
    )
    assert stats.sensitive_queries(today, today) == {"with_approval": 0, "without_approval": 1, "reviewed": 0}


def test_dashboard_awaiting_counts_per_role(people, his, client, django_assert_max_num_queries):
    submit(people.staff, his)
    submit(people.other_staff, his)
    SensitiveQueryLog.objects.create(
        computer_no="A", operator_code="B", run_at=timezone.now(), scope="x", recorded_by=people.officer
    )

    def lines(user):
        return {item.label: (item.count, item.urgent) for item in awaiting(user)}

    assert lines(people.head)["待审批的权限申请"] == (1, False)
    assert lines(people.auditor)["待审核的查询日志"] == (1, True)
    assert lines(people.staff).get("待审批的权限申请") is None
    with django_assert_max_num_queries(12):
        awaiting(people.officer)
    client.force_login(people.head)
    assert "待审批的权限申请" in client.get("/").content.decode()
