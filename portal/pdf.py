"""PDF rendering on WeasyPrint with an offline CJK font and HarfBuzz subsetting."""

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import FileResponse, HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher

from .audit import record_download


def harfbuzz_subset_available() -> bool:
    """Without libharfbuzz-subset every PDF embeds fonts through a slow fallback (~10 s each)."""
    from weasyprint.text.ffi import harfbuzz_subset

    return harfbuzz_subset is not None


def static_file_uri(path: str) -> str:
    """A static file as a file: URI, for images and fonts inside a PDF."""
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    return Path(found).as_uri()


def render_document(template_name: str, context: dict) -> Document:
    """A template laid out into pages; ``render_pdf`` writes one, and pages of several can be written together."""
    context = {"hospital_name": settings.HOSPITAL_NAME, **context}
    html = render_to_string(template_name, context)
    # Local files and data: URIs only; the hospital intranet has no internet.
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).render()


def render_pdf(template_name: str, context: dict) -> bytes:
    return render_document(template_name, context).write_pdf()


def pdf_response(pdf: bytes, filename: str, *, attachment: bool = False) -> HttpResponse:
    """A PDF for the browser: shown inline (printed from the viewer) unless ``attachment``; the download is audited."""
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    record_download(filename, format="pdf")
    return response


def pdf_file_response(file, filename: str) -> FileResponse:
    """A stored PDF (an archived report) as a download, audited like every other."""
    record_download(filename, format="pdf")
    return FileResponse(file, as_attachment=True, filename=filename, content_type="application/pdf")
