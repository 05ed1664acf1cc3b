"""Report periods in the hospital's time zone (Asia/Shanghai) and the policy's deadlines (报出时间).

Policy (医疗信息工作制度 七): daily by 09:00 the next day (holidays excepted), monthly by the 6th of next
month, quarterly by the 10th of the quarter's first month, half-yearly by 15 July, annual by 20 January.
The second half-year has no report of its own: its figures go into the annual report.

Daily reports follow the working days (portal.workdays): each starts on a working day and runs through
the rest days after it, and is due on the next working day, so Monday's report covers Friday to Sunday
and no day is left out.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.dates import day_range


class Kind(models.TextChoices):
    DAILY = "daily", gettext_lazy("Daily report")
    MONTHLY = "monthly", gettext_lazy("Monthly report")
    QUARTERLY = "quarterly", gettext_lazy("Quarterly report")
    HALF_YEARLY = "half_yearly", gettext_lazy("Half-yearly report")
    ANNUAL = "annual", gettext_lazy("Annual report")
    CUSTOM = "custom", gettext_lazy("Custom period")


REST_DAYS_AT_MOST = 15  # the longest run of rest days (Spring Festival) is well under this
MONTHS_PER_KIND = {Kind.MONTHLY: 1, Kind.QUARTERLY: 3, Kind.HALF_YEARLY: 6, Kind.ANNUAL: 12}
SCHEDULED_KINDS = (Kind.DAILY, Kind.MONTHLY, Kind.QUARTERLY, Kind.HALF_YEARLY, Kind.ANNUAL)


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("A period ends on or after its start.")

    @classmethod
    def of(cls, kind: str, year: int, number: int = 1) -> "Period":
        """The ``number``-th month, quarter or half of ``year`` (1-based); annual ignores ``number``."""
        months = MONTHS_PER_KIND[kind]
        if not 1 <= number <= 12 // months:
            raise ValueError(f"{kind} {number} does not exist.")
        start = date(year, (number - 1) * months + 1, 1)
        return cls(kind, start, start + relativedelta(months=months) - timedelta(days=1))

    @classmethod
    def containing(cls, kind: str, day: date) -> "Period":
        if kind == Kind.DAILY:
            return cls.daily(day)
        return cls.of(kind, day.year, (day.month - 1) // MONTHS_PER_KIND[kind] + 1)

    @classmethod
    def daily(cls, day: date) -> "Period":
        """The daily report holding ``day``: from the working day on or before it to the next working day's eve."""
        from portal.workdays import WorkCalendar  # its model loads after this module (reports.models imports it)

        calendar = WorkCalendar(day - timedelta(days=REST_DAYS_AT_MOST), day + timedelta(days=REST_DAYS_AT_MOST))
        start, end = day, day
        while not calendar.is_working_day(start) and (day - start).days < REST_DAYS_AT_MOST:
            start -= timedelta(days=1)
        while not calendar.is_working_day(end + timedelta(days=1)) and (end - day).days < REST_DAYS_AT_MOST:
            end += timedelta(days=1)
        return cls(Kind.DAILY, start, end)

    @classmethod
    def last_completed(cls, kind: str, today: date) -> "Period":
        return cls.containing(kind, today).previous()

    @classmethod
    def custom(cls, start: date, end: date) -> "Period":
        return cls(Kind.CUSTOM, start, end)

    @classmethod
    def infer(cls, start: date, end: date) -> "Period":
        """The calendar period these dates span exactly (month, quarter, half, year), else a custom one."""
        for kind, months in MONTHS_PER_KIND.items():
            spans_exactly = end == start + relativedelta(months=months) - timedelta(days=1)
            if start.day == 1 and (start.month - 1) % months == 0 and spans_exactly:
                return cls(kind, start, end)
        return cls.custom(start, end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def number(self) -> int:
        return (self.start.month - 1) // MONTHS_PER_KIND[self.kind] + 1

    def previous(self) -> "Period":
        if self.kind == Kind.DAILY:
            return Period.daily(self.start - timedelta(days=1))
        if self.kind == Kind.CUSTOM:
            return Period(self.kind, self.start - timedelta(days=self.days), self.start - timedelta(days=1))
        return Period(
            self.kind, self.start - relativedelta(months=MONTHS_PER_KIND[self.kind]), self.start - timedelta(days=1)
        )

    def same_period_last_year(self) -> "Period":
        if self.kind == Kind.DAILY:
            return Period.daily(self.start - relativedelta(years=1))
        if self.kind == Kind.CUSTOM:
            return Period(self.kind, self.start - relativedelta(years=1), self.end - relativedelta(years=1))
        return Period.of(self.kind, self.start.year - 1, self.number)

    def deadline(self) -> date | None:
        """The day by which the policy wants this period's report; None for periods without one."""
        after = self.end + timedelta(days=1)
        if self.kind == Kind.DAILY:
            return after
        if self.kind == Kind.MONTHLY:
            return after.replace(day=6)
        if self.kind == Kind.QUARTERLY:
            return after.replace(day=10)
        if self.kind == Kind.HALF_YEARLY and self.number == 1:
            return date(self.start.year, 7, 15)
        if self.kind == Kind.ANNUAL:
            return date(self.start.year + 1, 1, 20)
        return None

    def bounds(self) -> tuple[datetime, datetime]:
        """[start 00:00, the day after end 00:00) in Asia/Shanghai, for datetime columns."""
        return day_range(self.start, self.end)

    @property
    def label(self) -> str:
        year = self.start.year
        if self.kind == Kind.DAILY and self.start == self.end:
            return f"{self.start:%Y-%m-%d}"
        if self.kind == Kind.MONTHLY:
            return _("%(year)d, month %(month)d") % {"year": year, "month": self.start.month}
        if self.kind == Kind.QUARTERLY:
            return _("%(year)d, quarter %(quarter)d") % {"year": year, "quarter": self.number}
        if self.kind == Kind.HALF_YEARLY:
            return (_("%(year)d, first half") if self.number == 1 else _("%(year)d, second half")) % {"year": year}
        if self.kind == Kind.ANNUAL:
            return _("year %(year)d") % {"year": year}
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"


def due_periods(today: date) -> list[Period]:
    """The periods whose report the beat should have archived by now: ended, deadline not yet passed.

    A daily report is due only on the working day after it, so on rest days none falls due.
    """
    due = []
    for kind in SCHEDULED_KINDS:
        period = Period.last_completed(kind, today)
        deadline = period.deadline()
        if deadline is not None and today <= deadline:
            due.append(period)
    return due
