"""Assemble a report from the sections the apps contribute (PORTAL_REPORT_SECTIONS), plus an overview.

The daily report has the sections of the day's work (PORTAL_DAILY_REPORT_SECTIONS): repairs, inspections,
backups and approvals.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .content import Section
from .periods import Kind, Period


@dataclass
class Report:
    period: Period
    department: object = None
    sections: list[Section] = field(default_factory=list)
    generated_at: datetime | None = None
    generated_by: object = None

    @property
    def title(self) -> str:
        scope = f"{self.department.name} " if self.department else ""
        if self.period.kind == Kind.DAILY:
            return _("%(period)s %(scope)sIT daily report") % {"period": self.period.label, "scope": scope}
        return _("%(period)s %(scope)sIT statistical report") % {"period": self.period.label, "scope": scope}

    def section(self, slug: str) -> Section:
        for section in self.sections:
            if section.slug == slug:
                return section
        raise KeyError(slug)


def section_paths(kind: str | None = None) -> list[str]:
    if kind == Kind.DAILY:
        return list(settings.PORTAL_DAILY_REPORT_SECTIONS)
    return list(settings.PORTAL_REPORT_SECTIONS)


def section_builders(kind: str | None = None) -> list[Callable]:
    return [import_string(path) for path in section_paths(kind)]


def comparison_periods(start: date, end: date) -> tuple[Period, Period]:
    """The previous period and the same period last year, for sections to compare with."""
    period = Period.infer(start, end)
    return period.previous(), period.same_period_last_year()


def build_report(period: Period, department=None, *, on_progress: Callable[[int], None] | None = None) -> Report:
    """Each app's section in settings order; a section returning None (nothing for this scope) is left out."""
    builders = section_builders(period.kind)
    sections = []
    for index, build in enumerate(builders, start=1):
        section = build(period.start, period.end, department)
        if section is not None:
            sections.append(section)
        if on_progress:
            on_progress(index * 100 // (len(builders) + 1))
    overview = Section(
        slug="overview",
        title=_("Overview"),
        kpis=[kpi for section in sections for kpi in section.kpis if kpi.headline],
    )
    return Report(period=period, department=department, sections=[overview, *sections])
