"""Charts as SVG from matplotlib, text drawn as paths so that Chinese renders in any PDF viewer or browser."""

import io
import subprocess
from functools import cache, lru_cache

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager, pyplot

from .content import Chart

CJK_FAMILY = "Noto Sans CJK SC"
COLOURS = ["#2f6db5", "#e0873a", "#4aa36a", "#c44e52", "#8172b2", "#937860"]


@cache
def _setup_fonts():
    """Register the CJK font file fontconfig names for Noto Sans CJK SC (a .ttc: matplotlib picks the SC face)."""
    path = subprocess.run(
        ["fc-match", "-f", "%{file}", CJK_FAMILY], capture_output=True, text=True, check=True
    ).stdout.strip()
    font_manager.fontManager.addfont(path)
    matplotlib.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [CJK_FAMILY, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "svg.fonttype": "path",
            "svg.hashsalt": "portal-report",
            "font.size": 9,
        }
    )


def render_svg(chart: Chart) -> str:
    """The chart as an <svg> element (no XML prolog); the same chart gives the same bytes."""
    return _render(
        chart.title,
        tuple(chart.categories),
        tuple((k, tuple(v)) for k, v in chart.series.items()),
        chart.kind,
        chart.unit,
    )


# The page and then its PDF draw the same charts: drawing one costs ~0.1 s.
@lru_cache(maxsize=128)
def _render(title, categories, series, kind, unit) -> str:
    chart = Chart(title, list(categories), dict(series), kind, unit)
    _setup_fonts()
    height = 3.0 if chart.kind != "barh" else max(2.2, 0.32 * len(chart.categories) + 1.0)
    figure, axes = pyplot.subplots(figsize=(6.6, height))
    try:
        _draw(axes, chart)
        axes.set_title(chart.title, fontsize=10)
        axes.spines[["top", "right"]].set_visible(False)
        if len(chart.series) > 1:
            axes.legend(fontsize=8, frameon=False)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    finally:
        pyplot.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def _draw(axes, chart: Chart):
    count = len(chart.series) or 1
    positions = range(len(chart.categories))
    if chart.kind == "line":
        for colour, (label, values) in zip(COLOURS, chart.series.items()):
            axes.plot(
                list(positions),
                [v if v is not None else float("nan") for v in values],
                marker="o",
                label=label,
                color=colour,
            )
        axes.set_xticks(
            list(positions),
            chart.categories,
            rotation=30 if len(chart.categories) > 6 else 0,
            ha="right" if len(chart.categories) > 6 else "center",
        )
    else:
        width = 0.8 / count
        for index, (colour, (label, raw)) in enumerate(zip(COLOURS, chart.series.items())):
            offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
            values = [v or 0 for v in raw]
            if chart.kind == "barh":
                axes.barh(offsets, values, height=width, label=label, color=colour)
            else:
                axes.bar(offsets, values, width=width, label=label, color=colour)
        if chart.kind == "barh":
            axes.set_yticks(list(positions), chart.categories)
            axes.invert_yaxis()
        else:
            many = len(chart.categories) > 6
            axes.set_xticks(
                list(positions), chart.categories, rotation=30 if many else 0, ha="right" if many else "center"
            )
    if chart.unit:
        (axes.set_xlabel if chart.kind == "barh" else axes.set_ylabel)(chart.unit)
