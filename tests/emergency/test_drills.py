"""Drill plans (001 八(八)): a drill is due one interval after the last one, or after the plan's start."""

import datetime

import pytest
import time_machine
from django.contrib import admin

from emergency.models import DrillPlan, DrillRecord, DueStatus
from emergency.selectors import plans_by_due_status
from portal.admin import GovernedRecordAdmin
from portal.exceptions import ActionRefused

from .conftest import at


def test_with_no_drill_the_first_is_due_one_interval_after_the_plan_start(plan):
    assert plan.last_drill_on is None
    assert plan.due_on == datetime.date(2025, 6, 30)


def test_the_next_drill_is_due_one_interval_after_the_last_one(plan, make_drill):
    make_drill(plan, at(2025, 3, 1, 9))
    make_drill(plan, at(2025, 5, 10, 23, 30))  # late evening: its local day counts, not UTC's
    assert plan.last_drill_on == datetime.date(2025, 5, 10)
    assert plan.due_on == datetime.date(2025, 11, 6)
    annotated = DrillPlan.objects.with_last_drill().get(pk=plan.pk)
    assert annotated.due_on == datetime.date(2025, 11, 6)


def test_the_interval_is_set_per_plan(plan):
    plan.interval_days = 90
    plan.save()
    assert plan.due_on == datetime.date(2025, 4, 1)


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (datetime.date(2025, 5, 30), DueStatus.ON_SCHEDULE),
        (datetime.date(2025, 5, 31), DueStatus.DUE_SOON),  # 30 days ahead
        (datetime.date(2025, 6, 30), DueStatus.DUE_SOON),  # the due day itself
        (datetime.date(2025, 7, 1), DueStatus.OVERDUE),
    ],
)
def test_due_soon_and_overdue_on_explicit_days(plan, today, status):
    assert plan.due_status(today) == status


def test_plans_by_due_status_leaves_out_inactive_plans(plan, it_head):
    inactive = DrillPlan.objects.create(
        scenario="断电", plan_chapter="001 八(八)", starts_on=datetime.date(2024, 1, 1), owner=it_head, is_active=False
    )
    groups = plans_by_due_status(DrillPlan.objects.all(), datetime.date(2025, 7, 1))
    assert groups[DueStatus.OVERDUE] == [plan.pk]
    assert all(inactive.pk not in pks for pks in groups.values())


def test_a_drill_held_resets_the_clock(plan, make_drill):
    with time_machine.travel(at(2025, 7, 2, 9), tick=False):
        assert plan.due_status() == DueStatus.OVERDUE
        make_drill(plan, at(2025, 7, 2, 8))
        assert plan.due_status() == DueStatus.ON_SCHEDULE


def test_a_drill_is_recorded_by_it_only(plan, make_drill, leader):
    with pytest.raises(ActionRefused, match="只有信息科工程师和信息科主任可以登记应急演练"):
        make_drill(plan, at(2026, 1, 4, 9), by=leader)


def test_a_drill_is_recorded_once_held_with_its_participants(plan, make_drill):
    with pytest.raises(ActionRefused, match="演练举行之后才能登记"):
        make_drill(plan, at(2026, 2, 1, 9))
    with pytest.raises(ActionRefused, match="请填写参加演练的人员"):
        make_drill(plan, at(2026, 1, 4, 9), participants=[])
    assert not DrillRecord.objects.exists()


def test_an_inactive_plan_takes_no_drill(plan, make_drill):
    plan.is_active = False
    plan.save()
    with pytest.raises(ActionRefused, match="该演练计划已停用"):
        make_drill(plan, at(2026, 1, 4, 9))


def test_a_drill_record_is_append_only(plan, make_drill):
    record = make_drill(plan, at(2026, 1, 4, 9))
    assert set(record.participants.values_list("username", flat=True)) == {"officer1", "head1"}
    record.restore_minutes = 5
    with pytest.raises(ValueError, match="append-only"):
        record.save()
    with pytest.raises(ValueError, match="append-only"):
        record.delete()
    with pytest.raises(ValueError, match="append-only"):
        DrillRecord.objects.filter(pk=record.pk).update(restore_minutes=5)
    with pytest.raises(ValueError, match="append-only"):
        DrillRecord.objects.all().delete()
    assert DrillRecord.objects.get(pk=record.pk).restore_minutes == 45


@pytest.mark.parametrize("model", ["drillrecord", "securityincident"])
def test_workflow_records_have_the_read_only_admin(model):
    registered = next(m for m in admin.site._registry if m._meta.label_lower == f"emergency.{model}")
    assert isinstance(admin.site._registry[registered], GovernedRecordAdmin)
