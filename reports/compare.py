"""Call one stats function for the period, the previous period and the same period last year."""

from collections.abc import Callable
from datetime import date

from .assembly import comparison_periods
from .content import KPI


class Compared:
    """``Compared(stats.spare_loans, start, end, dept).kpi(_("Loans"), lambda r: r["lent"])``"""

    def __init__(self, function: Callable, start: date, end: date, department=None):
        previous, last_year = comparison_periods(start, end)
        extra = (department,) if department is not None else ()
        self.current = function(start, end, *extra)
        self.previous = function(previous.start, previous.end, *extra)
        self.last_year = function(last_year.start, last_year.end, *extra)

    def kpi(self, label, pick: Callable = lambda result: result, *, unit: str = "", headline: bool = False) -> KPI:
        return KPI(
            label=str(label),
            value=pick(self.current),
            unit=unit,
            previous=pick(self.previous),
            last_year=pick(self.last_year),
            headline=headline,
        )
