from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from reports.assembly import comparison_periods
from reports.periods import Kind, Period, due_periods

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("period", "deadline"),
    [
        (Period.of(Kind.MONTHLY, 2026, 3), date(2026, 4, 6)),
        (Period.of(Kind.MONTHLY, 2026, 12), date(2027, 1, 6)),
        (Period.of(Kind.QUARTERLY, 2026, 2), date(2026, 7, 10)),
        (Period.of(Kind.QUARTERLY, 2026, 4), date(2027, 1, 10)),
        (Period.of(Kind.HALF_YEARLY, 2026, 1), date(2026, 7, 15)),
        (Period.of(Kind.ANNUAL, 2026), date(2027, 1, 20)),
        (Period.of(Kind.HALF_YEARLY, 2026, 2), None),
        (Period.custom(date(2026, 1, 5), date(2026, 2, 3)), None),
    ],
)
def test_deadlines_follow_the_policy(period, deadline):
    assert period.deadline() == deadline


def test_periods_cover_whole_calendar_units():
    assert Period.of(Kind.MONTHLY, 2024, 2) == Period(Kind.MONTHLY, date(2024, 2, 1), date(2024, 2, 29))
    assert Period.of(Kind.QUARTERLY, 2026, 4) == Period(Kind.QUARTERLY, date(2026, 10, 1), date(2026, 12, 31))
    assert Period.of(Kind.HALF_YEARLY, 2026, 2) == Period(Kind.HALF_YEARLY, date(2026, 7, 1), date(2026, 12, 31))
    with pytest.raises(ValueError):
        Period.of(Kind.QUARTERLY, 2026, 5)


def test_previous_and_same_period_last_year():
    q1 = Period.of(Kind.QUARTERLY, 2026, 1)
    assert q1.previous() == Period.of(Kind.QUARTERLY, 2025, 4)
    assert q1.same_period_last_year() == Period.of(Kind.QUARTERLY, 2025, 1)
    assert Period.of(Kind.MONTHLY, 2026, 3).previous() == Period.of(Kind.MONTHLY, 2026, 2)
    ten_days = Period.custom(date(2026, 3, 1), date(2026, 3, 10))
    assert ten_days.previous() == Period.custom(date(2026, 2, 19), date(2026, 2, 28))
    assert ten_days.same_period_last_year() == Period.custom(date(2025, 3, 1), date(2025, 3, 10))


def test_sections_compare_with_the_matching_calendar_unit():
    previous, last_year = comparison_periods(date(2026, 4, 1), date(2026, 6, 30))
    assert (previous.start, previous.end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert (last_year.start, last_year.end) == (date(2025, 4, 1), date(2025, 6, 30))
    previous, _ = comparison_periods(date(2026, 2, 1), date(2026, 2, 28))
    assert (previous.start, previous.end) == (date(2026, 1, 1), date(2026, 1, 31))


def test_boundaries_are_midnight_in_shanghai():
    start, end = Period.of(Kind.MONTHLY, 2026, 3).bounds()
    assert start == datetime(2026, 3, 1, tzinfo=SHANGHAI)
    assert end == datetime(2026, 4, 1, tzinfo=SHANGHAI)
    # 16:30 UTC on 31 March is already 00:30 on 1 April in the hospital: April, not March.
    late = datetime(2026, 3, 31, 16, 30, tzinfo=ZoneInfo("UTC"))
    assert not (start <= late < end)
    assert start <= datetime(2026, 3, 31, 15, 59, tzinfo=ZoneInfo("UTC")) < end


def test_due_periods_on_new_year(db):  # the daily report asks the working-day calendar (tests/reports/test_daily.py)
    due = [period for period in due_periods(date(2027, 1, 1)) if period.kind != Kind.DAILY]
    assert due == [
        Period.of(Kind.MONTHLY, 2026, 12),
        Period.of(Kind.QUARTERLY, 2026, 4),
        Period.of(Kind.ANNUAL, 2026),
    ]


def test_due_periods_stop_after_the_deadline(db):
    assert Period.of(Kind.MONTHLY, 2026, 3) in due_periods(date(2026, 4, 6))
    assert Period.of(Kind.MONTHLY, 2026, 3) not in due_periods(date(2026, 4, 7))
    assert Period.of(Kind.HALF_YEARLY, 2026, 1) in due_periods(date(2026, 7, 15))
    assert all(p.kind != Kind.HALF_YEARLY for p in due_periods(date(2026, 7, 16)))


def test_labels(settings):
    from django.utils import translation

    with translation.override("zh-hans"):
        assert Period.of(Kind.QUARTERLY, 2026, 3).label == "2026年第3季度"
        assert Period.of(Kind.MONTHLY, 2026, 3).label == "2026年3月"
