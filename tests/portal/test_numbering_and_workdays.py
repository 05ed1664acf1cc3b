import threading
from datetime import date

import pytest
from django.db import connection

from portal.models import CalendarDay
from portal.numbering import next_number
from portal.workdays import add_working_days, calendar_known, is_working_day, working_days_between


def test_numbers_count_up_per_prefix_and_year(db):
    assert next_number("BX", year=2026) == "BX-2026-000001"
    assert next_number("BX", year=2026) == "BX-2026-000002"
    assert next_number("BX", year=2027) == "BX-2027-000001"
    assert next_number("ZC", year=2026, width=5) == "ZC-2026-00001"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_numbers_are_unique_under_concurrency():
    numbers, lock = [], threading.Lock()

    def take():
        for _ in range(5):
            value = next_number("BX", year=2026)
            with lock:
                numbers.append(value)
        connection.close()

    threads = [threading.Thread(target=take) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(numbers) == 30
    assert len(set(numbers)) == 30
    assert max(numbers) == "BX-2026-000030"


def test_national_day_holiday_is_skipped(db):
    # 2026: 1-7 October off; Sunday 20 September and Saturday 10 October are make-up workdays (调休).
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 9, 18), 1) == date(2026, 9, 20)
    assert add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 10)
    assert not is_working_day(date(2026, 10, 11))


def test_twenty_working_days_across_the_holiday(db):
    # 28-30 Sep (3), 8-10 Oct (3, the 10th a make-up Saturday), 12-16 (5), 19-23 (5), 26-29 (4).
    assert add_working_days(date(2026, 9, 25), 20) == date(2026, 10, 29)
    assert working_days_between(date(2026, 9, 25), date(2026, 10, 29)) == 20


def test_override_table_extends_to_a_year_the_package_does_not_know(db):
    assert not calendar_known(2027)
    # Without the table, 2027 falls back to weekends: New Year's Day (a Friday) would count.
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 1)
    CalendarDay.objects.create(date=date(2027, 1, 1), is_workday=False, name="元旦")
    assert calendar_known(2027)
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_override_table_beats_the_package(db):
    CalendarDay.objects.create(date=date(2026, 10, 10), is_workday=False, name="调整")
    assert add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 12)
