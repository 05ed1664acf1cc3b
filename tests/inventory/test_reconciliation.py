"""Periodic reconciliation (信息系统维护员职责 5): each department's equipment is counted at least once a year."""

import datetime

import pytest
import time_machine

from inventory import reconciliation, services
from inventory.models import StocktakeReminder
from inventory.selectors import awaiting
from portal.models import Notification
from tests.inventory.factories import EquipmentFactory

pytestmark = pytest.mark.django_db


def _at(*day):
    return time_machine.travel(datetime.datetime(*day, 9, tzinfo=datetime.UTC))


def _reconcile(department, officer):
    stocktake = services.stocktake_open(scope="department", department=department, by=officer)
    services.take_step(stocktake, "close", by=officer)


@pytest.fixture
def counted(department, officer, make_user):
    """A department with two devices and a head, reconciled on 10 January 2026."""
    department.head = make_user("dept_head")
    department.save()
    for _ in range(2):
        EquipmentFactory(status="in_use", department=department)
    with _at(2026, 1, 10):
        _reconcile(department, officer)
    return department


def _row(department):
    return next(row for row in reconciliation.schedule() if row.department == department)


def test_the_next_reconciliation_is_due_a_year_after_the_last(counted):
    with _at(2026, 12, 1):
        row = _row(counted)
        assert (row.devices, row.last, row.due_on, row.stage) == (
            2,
            datetime.date(2026, 1, 10),
            datetime.date(2027, 1, 10),
            None,
        )
        assert reconciliation.remind_due() == 0


def test_it_and_the_department_head_are_reminded_once_before_and_once_after_the_due_date(counted, officer, client):
    with _at(2026, 12, 15):
        assert reconciliation.remind_due() == 1
        assert reconciliation.remind_due() == 0
    assert Notification.objects.filter(recipient=officer, url="/inventory/stocktakes/schedule/").count() == 1
    assert Notification.objects.filter(recipient=counted.head).count() == 1

    with _at(2027, 1, 11):
        assert _row(counted).stage == StocktakeReminder.Stage.OVERDUE
        assert reconciliation.remind_due() == 1
        overdue = [item for item in awaiting(officer) if item.url == "/inventory/stocktakes/schedule/"]
        assert [(item.count, item.urgent) for item in overdue] == [(1, True)]
        client.force_login(officer)
        html = client.get("/inventory/stocktakes/schedule/").content.decode()
        assert counted.name in html and "逾期" in html and "2027-01-10" in html


def test_a_whole_hospital_stocktake_reconciles_every_department(counted, officer, other_department):
    EquipmentFactory(status="in_use", department=other_department)
    with _at(2026, 6, 1):
        assert _row(other_department).last is None
        stocktake = services.stocktake_open(scope="all", by=officer)
        services.take_step(stocktake, "close", by=officer)
        assert _row(other_department).last == _row(counted).last == datetime.date(2026, 6, 1)


def test_a_department_never_reconciled_is_overdue_and_reminded_once(department, officer):
    EquipmentFactory(status="in_use", department=department)
    with _at(2026, 3, 2):
        row = _row(department)
        assert (row.last, row.due_on, row.stage) == (None, None, StocktakeReminder.Stage.OVERDUE)
        assert reconciliation.remind_due() == 1
    with _at(2026, 3, 3):
        assert reconciliation.remind_due() == 0


def test_the_schedule_is_for_it_and_the_auditor(client, make_user, counted):
    for role, status in (("it_officer", 200), ("auditor", 200), ("staff", 403), ("dept_head", 403)):
        client.force_login(make_user(role))
        assert client.get("/inventory/stocktakes/schedule/").status_code == status, role


def test_a_department_being_counted_is_not_flagged_overdue_on_the_dashboard(department, officer):
    EquipmentFactory(status="in_use", department=department)
    with _at(2026, 3, 2):
        assert reconciliation.overdue_count() == 1
        services.stocktake_open(scope="department", department=department, by=officer)
        assert reconciliation.overdue_count() == 0
        assert reconciliation.remind_due() == 0
