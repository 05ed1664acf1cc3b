import datetime

import pytest
import time_machine

from inspections import services
from inspections.models import InspectionReminder, InspectionTemplate, MissedInspection, TemplateVersion
from inspections.tasks import inspection_tick
from portal.models import Notification, TaskRun

from .conftest import SHANGHAI, fill


def at(hour, minute=0, day=20):
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _workstation_maintenance_introduced_mid_november(db):
    """The monthly template's first version dates from 2026-11-15: October was never owed, November is."""
    TemplateVersion.objects.filter(template__target=InspectionTemplate.Target.WORKSTATIONS, number=1).update(
        created_at=datetime.datetime(2026, 11, 15, 9, tzinfo=SHANGHAI)
    )


@pytest.fixture
def it_staff(officer, head, make_user, it_department):
    second = make_user("it_officer", department=it_department)
    return officer, second, head


def notes(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_morning_tick_reminds_it_officers_once(daily, room, it_staff):
    officer, second, head = it_staff
    with time_machine.travel(at(9, 55), tick=False):
        inspection_tick.delay()
    assert not Notification.objects.exists()
    with time_machine.travel(at(10, 0), tick=False):
        inspection_tick.delay()
        inspection_tick.delay()
    with time_machine.travel(at(10, 5), tick=False):
        inspection_tick.delay()
    assert InspectionReminder.objects.count() == 1
    assert len(notes(officer)) == 1 and "中心机房" in notes(officer)[0]
    assert len(notes(second)) == 1
    assert notes(head) == []
    assert not MissedInspection.objects.exists()
    assert TaskRun.objects.get(name="inspections.tasks.inspection_tick").outcome == "ok"


def test_end_of_day_records_one_missed_round_and_tells_the_it_head(daily, room, it_staff):
    _officer, _, head = it_staff
    for moment in (at(17, 30), at(17, 35), at(23, 55), at(0, 5, day=21)):
        with time_machine.travel(moment, tick=False):
            inspection_tick.delay()
    missed = MissedInspection.objects.get()
    assert (missed.room, missed.period_start) == (room, datetime.date(2026, 11, 20))
    assert len(notes(head)) == 1
    assert InspectionReminder.objects.count() == 0


def test_a_tick_that_was_down_at_end_of_day_still_records_yesterday(daily, room, it_staff):
    room.commissioned_on = datetime.date(2026, 11, 19)
    room.save()
    with time_machine.travel(at(8, 0, day=21), tick=False):
        outcome = services.inspection_tick()
    assert (outcome.missed, outcome.reminders) == (1, 0)
    assert MissedInspection.objects.get().period_start == datetime.date(2026, 11, 20)


def test_submitted_round_means_no_reminder_and_no_miss(daily, room, it_staff):
    officer, _, _head = it_staff
    with time_machine.travel(at(8, 30), tick=False):
        inspection = services.round_start(template=daily, room=room, by=officer)
        fill(inspection, officer)
        services.take_step(inspection, "submit", by=officer)
    for moment in (at(10, 0), at(18, 0)):
        with time_machine.travel(moment, tick=False):
            inspection_tick.delay()
    assert not InspectionReminder.objects.exists()
    assert not MissedInspection.objects.exists()
    assert not Notification.objects.exists()


def test_draft_round_still_counts_as_not_done(daily, room, it_staff):
    officer, _, _ = it_staff
    with time_machine.travel(at(9, 0), tick=False):
        services.round_start(template=daily, room=room, by=officer)
    with time_machine.travel(at(18, 0), tick=False):
        assert services.inspection_tick().missed == 1


def test_times_are_per_room(daily, room, it_staff):
    room.reminder_time = datetime.time(8, 0)
    room.save()
    with time_machine.travel(at(8, 5), tick=False):
        assert services.inspection_tick().reminders == 1


def test_rooms_not_yet_in_service_are_not_due(daily, room, it_staff):
    room.commissioned_on = datetime.date(2026, 11, 21)
    room.save()
    with time_machine.travel(at(18, 0), tick=False):
        outcome = services.inspection_tick()
    assert (outcome.reminders, outcome.missed) == (0, 0)


def test_missed_monthly_workstation_maintenance(monthly, it_staff):
    with time_machine.travel(at(9, 0, day=1).replace(month=12), tick=False):
        first = services.inspection_tick()
        second = services.inspection_tick()
    assert (first.missed, second.missed) == (1, 0)
    assert MissedInspection.objects.get(template=monthly).period_start == datetime.date(2026, 11, 1)
