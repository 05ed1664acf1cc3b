"""Temperature and humidity trend of a machine room as inline SVG, drawn on the server with matplotlib."""

import io

import matplotlib
from django.utils.translation import pgettext
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

STYLE = {
    # Text stays text in the SVG, so the browser renders it in the page's CJK font.
    "svg.fonttype": "none",
    "font.family": ["Noto Sans CJK SC", "DejaVu Sans"],
    "font.size": 9,
}


def _date_formatter(locator) -> ConciseDateFormatter:
    """Tick labels in the reader's language (strftime's own %b says "Nov" whatever the language)."""
    year = pgettext("chart axis tick, strftime format", "%Y")
    month = pgettext("chart axis tick, strftime format", "%b")
    day = pgettext("chart axis tick, strftime format", "%d")
    month_day = pgettext("chart axis tick, strftime format", "%b-%d")
    return ConciseDateFormatter(
        locator,
        formats=[year, month, day, "%H:%M", "%H:%M", "%S.%f"],
        zero_formats=["", year, month, month_day, "%H:%M", "%H:%M"],
        show_offset=False,
    )


def trend_svg(panels: list[dict]) -> str:
    """One panel per measure: ``{"title", "unit", "points": [(day, value)], "low", "high"}``; limits drawn as a band."""
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(9, 2.3 * len(panels)), layout="constrained")
        axes_list = figure.subplots(len(panels), 1, sharex=True, squeeze=False)[:, 0]
        for axes, panel in zip(axes_list, panels):
            points = panel["points"]
            if panel["low"] is not None and panel["high"] is not None:
                axes.axhspan(float(panel["low"]), float(panel["high"]), color="#198754", alpha=0.08, linewidth=0)
                for limit in (panel["low"], panel["high"]):
                    axes.axhline(float(limit), color="#198754", linewidth=0.8, linestyle="--")
            if points:
                days, values = zip(*points)
                axes.plot(
                    days,
                    values,
                    color="#0d6efd",
                    linewidth=1.2,
                    marker="o" if len(points) <= 62 else None,
                    markersize=2.5,
                )
                outside = [
                    (day, value)
                    for day, value in points
                    if (panel["low"] is not None and value < panel["low"])
                    or (panel["high"] is not None and value > panel["high"])
                ]
                if outside:
                    out_days, out_values = zip(*outside)
                    axes.scatter(out_days, out_values, color="#dc3545", zorder=3, s=16)
            axes.set_ylabel(f"{panel['title']} ({panel['unit']})")
            axes.grid(axis="y", color="#dee2e6", linewidth=0.6)
            axes.spines[["top", "right"]].set_visible(False)
        locator = AutoDateLocator()
        axes_list[-1].xaxis.set_major_locator(locator)
        axes_list[-1].xaxis.set_major_formatter(_date_formatter(locator))
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]
