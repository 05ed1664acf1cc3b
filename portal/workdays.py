"""Working days per the Chinese statutory calendar (chinese-calendar), with an admin override table.

chinese-calendar only knows the years it was released with; ``CalendarDay`` rows entered by an
admin override it or extend it to later years. Outside both, Saturday and Sunday are rest days.
"""

from datetime import date, timedelta

import chinese_calendar

from .models import CalendarDay


def _package_says(day: date) -> bool | None:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


def package_covers(year: int) -> bool:
    return _package_says(date(year, 6, 1)) is not None


def calendar_known(year: int) -> bool:
    """True when the package or the override table has holidays for ``year``."""
    return package_covers(year) or CalendarDay.objects.filter(date__year=year, is_workday=False).exists()


class WorkCalendar:
    """Answers working-day questions over a range with one query for the overrides."""

    def __init__(self, start: date, end: date):
        self.overrides = dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "is_workday"))
        self.start, self.end = start, end

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        package = _package_says(day)
        if package is not None:
            return package
        return day.weekday() < 5


def _horizon(start: date, days: int) -> date:
    # N working days never span more than ~2N+40 calendar days, even across Spring Festival.
    return start + timedelta(days=2 * days + 40)


def is_working_day(day: date) -> bool:
    return WorkCalendar(day, day).is_working_day(day)


def add_working_days(start: date, days: int) -> date:
    """The date that is ``days`` working days after ``start``; ``start`` itself does not count."""
    calendar = WorkCalendar(start, _horizon(start, days))
    current, counted = start, 0
    while counted < days:
        current += timedelta(days=1)
        if calendar.is_working_day(current):
            counted += 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    if end <= start:
        return 0
    calendar = WorkCalendar(start, end)
    return sum(calendar.is_working_day(start + timedelta(days=offset)) for offset in range(1, (end - start).days + 1))
