"""Spare loans, the overdue-loan reminder (daily) and the warranty reminder (weekly)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from inventory import services
from inventory.models import SpareLoan
from inventory.tasks import remind_overdue_loans, remind_warranty_ending
from portal.exceptions import ActionRefused
from portal.models import Notification
from tests.inventory.factories import EquipmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def spare(db):
    return EquipmentFactory(status="spare")


def test_lend_and_return(officer, spare, other_department):
    due = timezone.localdate() + datetime.timedelta(days=7)
    loan = services.spare_loan_create(
        spare=spare, department=other_department, by=officer, expected_return=due, reason="BX-2026-000001"
    )
    spare.refresh_from_db()
    assert spare.status == "on_loan" and loan.handler == officer and loan.is_open
    assert "外科" in spare.ledger.get(kind="lend").reason
    with pytest.raises(ActionRefused):
        services.spare_loan_create(spare=spare, department=other_department, by=officer, expected_return=due)
    services.spare_loan_return(loan=loan, by=officer)
    spare.refresh_from_db()
    loan.refresh_from_db()
    assert spare.status == "spare" and loan.returned_at is not None and loan.returned_to == officer
    with pytest.raises(ActionRefused):
        services.spare_loan_return(loan=loan, by=officer)


def test_lend_refused_for_device_not_in_spare_pool_or_past_date(officer, other_department):
    with pytest.raises(ActionRefused):
        services.spare_loan_create(
            spare=EquipmentFactory(status="in_use"),
            department=other_department,
            by=officer,
            expected_return=timezone.localdate() + datetime.timedelta(days=3),
        )
    with pytest.raises(ActionRefused):
        services.spare_loan_create(
            spare=EquipmentFactory(status="spare"),
            department=other_department,
            by=officer,
            expected_return=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert not SpareLoan.objects.exists()


def test_lend_refused_for_staff(make_user, spare, department):
    with pytest.raises(ActionRefused):
        services.spare_loan_create(
            spare=spare,
            department=department,
            by=make_user("staff"),
            expected_return=timezone.localdate() + datetime.timedelta(days=3),
        )


def test_overdue_loan_reminds_handler_and_borrower_once_a_day(officer, make_user, spare, other_department):
    borrower = make_user("staff", department=other_department)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)):
        services.spare_loan_create(
            spare=spare,
            department=other_department,
            borrower=borrower,
            by=officer,
            expected_return=datetime.date(2026, 3, 5),
        )
    with time_machine.travel(datetime.datetime(2026, 3, 5, 9, tzinfo=datetime.UTC)):
        assert remind_overdue_loans() == 0
    with time_machine.travel(datetime.datetime(2026, 3, 7, 1, tzinfo=datetime.UTC)):
        assert remind_overdue_loans.delay().get() == 1
        assert remind_overdue_loans() == 0
    notes = Notification.objects.filter(title__contains=spare.asset_no)
    assert sorted(n.recipient.pk for n in notes) == sorted([officer.pk, borrower.pk])
    assert "2" in notes.first().title
    with time_machine.travel(datetime.datetime(2026, 3, 8, 1, tzinfo=datetime.UTC)):
        assert remind_overdue_loans() == 1


def test_overdue_loan_without_borrower_reminds_department_head(officer, make_user, spare, other_department):
    chief = make_user("dept_head", department=other_department)
    other_department.head = chief
    other_department.save()
    loan = services.spare_loan_create(
        spare=spare,
        department=other_department,
        by=officer,
        expected_return=timezone.localdate() + datetime.timedelta(days=1),
    )
    SpareLoan.objects.filter(pk=loan.pk).update(expected_return=timezone.localdate() - datetime.timedelta(days=1))
    remind_overdue_loans()
    assert Notification.objects.filter(recipient=chief).count() == 1


def test_warranty_reminder_weekly_once_per_device(officer, head):
    today = timezone.localdate()
    ending = EquipmentFactory(warranty_end=today + datetime.timedelta(days=20), asset_no="ZC-2025-900001")
    EquipmentFactory(warranty_end=today + datetime.timedelta(days=45))
    EquipmentFactory(warranty_end=today + datetime.timedelta(days=10), status="scrapped")
    assert remind_warranty_ending() == 1
    assert remind_warranty_ending() == 0
    notes = Notification.objects.filter(recipient=officer)
    assert notes.count() == 1 and ending.asset_no in notes.get().body
    assert Notification.objects.filter(recipient=head).count() == 1
