"""Asset labels: a QR code that opens the device page, printed on an A4 sheet."""

from django.conf import settings
from django.urls import reverse

from portal.pdf import render_pdf
from portal.qr import qr_data_uri


def device_url(equipment) -> str:
    """What the QR code holds: the device page by asset number, which a stocktake scan also reads."""
    return settings.PORTAL_PUBLIC_BASE_URL + reverse("inventory:equipment_by_asset", args=[equipment.asset_no])


def device_qr(equipment) -> str:
    return qr_data_uri(device_url(equipment))


def label_sheet_pdf(devices) -> bytes:
    labels = [{"device": device, "qr": device_qr(device)} for device in devices]
    return render_pdf("inventory/pdf/labels.html", {"labels": labels})
