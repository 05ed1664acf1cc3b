"""Asset labels: a QR code that opens the device page, printed on A4 sheets of 3 × 8 labels.

One page prints at once; a bigger sheet is a ``LabelSheet`` (``services.label_sheet_request``) laid out by the worker a few pages at a time, so the
page that asked for it shows its progress and no web request runs for more than a moment.
"""

from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from portal.pdf import render_document
from portal.qr import qr_data_uri

from .models import Equipment, LabelSheet

COLUMNS, ROWS = 3, 8
ONE_PAGE = COLUMNS * ROWS
LABEL_SHEET_LIMIT = 600
# Pages laid out per step of a background sheet; each step moves its progress on.
PAGES_PER_STEP = 5


def device_url(equipment) -> str:
    """What the QR code holds: the device page by asset number, which a stocktake scan also reads."""
    return settings.PORTAL_PUBLIC_BASE_URL + reverse("inventory:equipment_by_asset", args=[equipment.asset_no])


def device_qr(equipment) -> str:
    return qr_data_uri(device_url(equipment))


def _chunks(items: list, size: int) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def label_sheet_pdf(devices, *, progress=None) -> bytes:
    """The sheet for ``devices`` in their order; ``progress(percent)`` is told as each step of pages is laid out."""
    labels = [{"device": device, "qr": device_qr(device)} for device in devices]
    pages = [_chunks(page, COLUMNS) for page in _chunks(labels, ONE_PAGE)]
    steps = _chunks(pages, PAGES_PER_STEP)
    documents = []
    for done, step in enumerate(steps, start=1):
        documents.append(render_document("inventory/pdf/labels.html", {"pages": step}))
        if progress:
            progress(90 * done // len(steps))
    return documents[0].copy([page for document in documents for page in document.pages]).write_pdf()


def label_sheet_generate(sheet: LabelSheet) -> LabelSheet:
    """The worker's part: lay the sheet out, store the PDF, mark it ready. Devices deleted since are left out."""
    found = Equipment.objects.select_related("category", "department").in_bulk(sheet.devices)
    devices = [found[pk] for pk in sheet.devices if pk in found]

    def progress(percent):
        LabelSheet.objects.filter(pk=sheet.pk).update(progress=percent)

    pdf = label_sheet_pdf(devices, progress=progress)
    sheet.file.save(f"asset-labels-{sheet.pk}.pdf", ContentFile(pdf), save=False)
    sheet.status, sheet.progress, sheet.finished_at = LabelSheet.Status.DONE, 100, timezone.now()
    sheet.save(update_fields=["file", "status", "progress", "finished_at"])
    return sheet


def label_sheet_failed(sheet: LabelSheet, error: Exception) -> None:
    LabelSheet.objects.filter(pk=sheet.pk).update(
        status=LabelSheet.Status.FAILED, error=str(error)[:1000], finished_at=timezone.now()
    )
