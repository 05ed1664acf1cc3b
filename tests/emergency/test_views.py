"""Pages of emergency management: who opens what, list query counts, the dashboard and the demo."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from emergency import demo, services
from emergency.models import DrillPlan, DrillRecord, DueStatus, SecurityIncident
from emergency.selectors import awaiting
from tests.permissions import assert_permission_matrix

from .conftest import at, resolved


@pytest.fixture
def people(make_user, it_head, officer, leader, auditor, staff):
    return {
        "it_head": it_head,
        "it_officer": officer,
        "leader": leader,
        "auditor": auditor,
        "staff": staff,
        "dept_head": make_user("dept_head"),
        "dba": make_user("dba"),
        "hr": make_user("hr"),
    }


READERS = ("it_head", "it_officer", "leader", "auditor")
OUTSIDERS = ("staff", "dept_head", "dba", "hr")


def _pages(plan, drill, incident):
    return [
        "/emergency/",
        reverse("emergency:plan_list"),
        reverse("emergency:plan_detail", args=[plan.pk]),
        reverse("emergency:plan_history", args=[plan.pk]),
        reverse("emergency:drill_list"),
        reverse("emergency:drill_detail", args=[drill.pk]),
        reverse("emergency:incident_list"),
        reverse("emergency:incident_detail", args=[incident.pk]),
        reverse("emergency:incident_history", args=[incident.pk]),
        reverse("emergency:incident_pdf", args=[incident.pk]),
    ]


def test_it_leaders_and_the_auditor_read_everything_and_nobody_else(client, people, plan, make_drill, incident):
    drill = make_drill(plan, at(2026, 1, 4, 9))
    for url in _pages(plan, drill, incident):
        assert_permission_matrix(
            client,
            url,
            allowed=[people[role] for role in READERS],
            forbidden=[people[role] for role in OUTSIDERS],
        )


def test_a_missing_record_is_404(client, people):
    for url in ("/emergency/plans/999/", "/emergency/drills/999/", "/emergency/incidents/999/pdf/"):
        assert_permission_matrix(client, url, forbidden=[people["staff"]], hidden=[people["leader"]])


def test_the_it_head_plans_it_records_leaders_only_read(client, people, plan):
    assert_permission_matrix(
        client,
        reverse("emergency:plan_create"),
        allowed=[people["it_head"]],
        forbidden=[people[role] for role in ("it_officer", "leader", "auditor", "staff")],
    )
    assert_permission_matrix(
        client,
        reverse("emergency:plan_edit", args=[plan.pk]),
        allowed=[people["it_head"]],
        forbidden=[people[role] for role in ("it_officer", "leader", "auditor")],
        hidden=[],
    )
    for url in (reverse("emergency:plan_record", args=[plan.pk]), reverse("emergency:incident_create")):
        assert_permission_matrix(
            client,
            url,
            allowed=[people["it_head"], people["it_officer"]],
            forbidden=[people[role] for role in ("leader", "auditor", "staff", "dba")],
        )


def test_transition_pages_follow_the_workflow(client, people, incident):
    resolve = reverse("emergency:incident_action", args=[incident.pk, "resolve"])
    report = reverse("emergency:incident_action", args=[incident.pk, "file_report"])
    assert_permission_matrix(
        client, resolve, allowed=[people["it_officer"]], forbidden=[people["leader"], people["auditor"]]
    )
    assert_permission_matrix(client, report, forbidden=[people["it_head"]])  # not resolved yet
    assert_permission_matrix(
        client, reverse("emergency:incident_action", args=[incident.pk, "nope"]), hidden=[people["it_head"]]
    )


def test_recording_a_drill_through_its_page(client, officer, it_head, plan):
    client.force_login(officer)
    url = reverse("emergency:plan_record", args=[plan.pk])
    data = {
        "held_at": "2026-01-04T14:00",
        "participants": [officer.pk, it_head.pk],
        "activities": "模拟核心交换机故障,切换备用交换机",
        "restore_minutes": 25,
        "problems": "备用交换机配置未同步",
        "improvements": "每月同步配置",
    }
    response = client.post(url, data)
    record = DrillRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    assert record.recorded_by == officer and record.restore_minutes == 25
    assert client.post(url, {**data, "held_at": "2026-03-01T14:00"}).status_code == 200  # not held yet
    assert DrillRecord.objects.count() == 1


def test_recording_an_incident_through_its_page_keeps_what_was_typed_on_a_refusal(client, officer):
    client.force_login(officer)
    data = {
        "kind": SecurityIncident.Kind.PASSWORD_LEAK,
        "title": "口令泄露",
        "description": "便条",
        "occurred_at": "2026-01-04T10:00",
        "discovered_at": "2026-01-04T09:00",
        "affected_systems": "HIS",
        "measures": "重置口令",
    }
    response = client.post(reverse("emergency:incident_create"), data)
    assert response.status_code == 200
    assert "发现时间不能早于发生时间" in response.content.decode()
    assert not SecurityIncident.objects.exists()
    response = client.post(reverse("emergency:incident_create"), {**data, "discovered_at": "2026-01-04T11:00"})
    assert response.status_code == 302
    assert SecurityIncident.objects.get().state == SecurityIncident.State.OPEN


def test_the_plan_list_shows_the_due_status_on_explicit_days(client, it_head, plan):
    client.force_login(it_head)
    with time_machine.travel(at(2025, 7, 1, 9), tick=False):
        response = client.get(reverse("emergency:plan_list"))
        assert "已逾期" in response.content.decode()
        assert [row.record for row in response.context["table"].page.object_list] == [plan]
        assert (
            client.get(reverse("emergency:plan_list") + "?due=on_schedule").context["table"].page.paginator.count == 0
        )
        assert client.get(reverse("emergency:plan_list") + "?due=overdue").context["table"].page.paginator.count == 1
    with time_machine.travel(at(2025, 6, 10, 9), tick=False):
        assert "即将到期" in client.get(reverse("emergency:plan_list")).content.decode()


def _more_rows(owner, officer, count):
    for n in range(count):
        plan = DrillPlan.objects.create(
            scenario=f"演练{n}", plan_chapter="001 八(八)", starts_on=datetime.date(2025, 1, 1), owner=owner
        )
        record = DrillRecord(
            plan=plan, held_at=at(2025, 6, 1, 9), activities="演练", restore_minutes=10, recorded_by=officer
        )
        record.save()
        record.participants.set([officer])
        services.incident_record(
            kind=SecurityIncident.Kind.OTHER,
            title=f"事件{n}",
            description="x",
            occurred_at=at(2026, 1, 1, 9),
            discovered_at=at(2026, 1, 1, 10),
            affected_systems="x",
            measures="x",
            by=officer,
        )


@pytest.mark.parametrize("url_name", ["plan_list", "drill_list", "incident_list"])
def test_list_query_counts_do_not_grow(client, it_head, officer, url_name, django_assert_max_num_queries):
    _more_rows(it_head, officer, 2)
    client.force_login(it_head)
    url = reverse(f"emergency:{url_name}")
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    _more_rows(it_head, officer, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["table"].page.paginator.count == 32


def test_the_dashboard_counts_overdue_drills_and_incidents_awaiting_the_it_head(
    it_head, officer, leader, plan, incident
):
    with time_machine.travel(at(2025, 7, 1, 9), tick=False):
        counts = {item.url: item.count for item in awaiting(it_head)}
    assert counts["/emergency/plans/?due=overdue"] == 1
    assert counts["/emergency/plans/?due=due_soon"] == 0
    assert counts["/emergency/incidents/?state=open"] == 1
    assert counts["/emergency/incidents/?state=resolved"] == 0
    resolved(incident, officer)
    counts = {item.url: item.count for item in awaiting(it_head)}
    assert counts["/emergency/incidents/?state=open"] == 0
    assert counts["/emergency/incidents/?state=resolved"] == 1
    officer_items = {item.url for item in awaiting(officer)}
    assert officer_items == {"/emergency/incidents/?state=open"}
    assert awaiting(leader) == []
    assert "emergency.selectors.awaiting" in settings.PORTAL_DASHBOARD_PROVIDERS


def test_the_demo_has_an_overdue_plan_a_drill_an_open_and_a_reported_incident(make_user):
    for role in ("it_head", "it_officer", "dba"):
        make_user(role, username=role)
    demo.seed()
    plans = list(DrillPlan.objects.with_last_drill())
    assert len(plans) == 2
    assert DueStatus.OVERDUE in {plan.due_status() for plan in plans}
    assert DrillRecord.objects.count() == 1
    states = set(SecurityIncident.objects.values_list("state", flat=True))
    assert states == {SecurityIncident.State.OPEN, SecurityIncident.State.REPORTED}
    demo.seed()  # run twice, seeded once
    assert DrillPlan.objects.count() == 2 and SecurityIncident.objects.count() == 2
    assert "emergency.demo.seed" in settings.PORTAL_DEMO_SEEDERS
