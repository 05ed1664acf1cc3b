"""What a report section holds: key figures, tables and charts, as plain data the page and the PDF both draw."""

from dataclasses import dataclass, field


def change(current, previous):
    """Percentage change from previous to current, or None when there is nothing to compare with."""
    if current is None or previous is None or not previous:
        return None
    return round((current - previous) * 100 / previous, 1)


@dataclass
class KPI:
    """A key figure with the same figure for the previous period and the same period last year."""

    label: str
    value: object
    unit: str = ""
    previous: object = None
    last_year: object = None
    headline: bool = False

    @property
    def change_previous(self):
        return change(self.value, self.previous) if _numeric(self.value, self.previous) else None

    @property
    def change_last_year(self):
        return change(self.value, self.last_year) if _numeric(self.value, self.last_year) else None


def _numeric(*values):
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


@dataclass
class Table:
    """``rows`` are lists of cells in the order of ``columns``; ``total`` is an optional last row."""

    slug: str
    title: str
    columns: list[str]
    rows: list[list]
    total: list | None = None


@dataclass
class Chart:
    """A bar, horizontal bar or line chart; ``series`` maps a legend label to one value per category."""

    title: str
    categories: list[str]
    series: dict[str, list]
    kind: str = "bar"
    unit: str = ""

    @property
    def is_empty(self) -> bool:
        """Nothing but zeros and gaps: drawn, it would be a bare axis from -0.04 to 0.04."""
        return not any(value for values in self.series.values() for value in values)


@dataclass
class Section:
    slug: str
    title: str
    kpis: list[KPI] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def table(self, slug: str) -> Table:
        for table in self.tables:
            if table.slug == slug:
                return table
        raise KeyError(slug)
