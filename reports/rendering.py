"""One report drawn twice from the same data: on screen (HTML) and as the archived PDF."""

import base64

from django.conf import settings

from portal.pdf import render_pdf, static_file_uri

from .assembly import Report
from .charts import render_svg


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def drawn_sections(report: Report) -> list[dict]:
    """Sections with their charts rendered to SVG once, as images for the page and the PDF alike.

    An <img> rather than inline <svg>: the charts' element ids would clash, and WeasyPrint draws an image far faster.
    An empty chart has no image (None): the templates say "no data for this period" under its title.
    """
    return [
        {
            "section": section,
            "charts": [
                (chart.title, None if chart.is_empty else svg_data_uri(render_svg(chart))) for chart in section.charts
            ],
        }
        for section in report.sections
    ]


def report_pdf(report: Report) -> bytes:
    return render_pdf(
        "reports/pdf.html",
        {"report": report, "sections": drawn_sections(report), "logo_uri": static_file_uri(settings.HOSPITAL_LOGO)},
    )
