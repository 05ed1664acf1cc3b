"""Asset labels: a QR code that opens the device page, printed on an A4 sheet."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.urls import reverse

from portal.pdf import render_pdf


def device_url(equipment) -> str:
    """What the QR code holds: the device page by asset number, which a stocktake scan also reads."""
    return settings.PORTAL_PUBLIC_BASE_URL + reverse("inventory:equipment_by_asset", args=[equipment.asset_no])


def qr_data_uri(text: str) -> str:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=1)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def label_sheet_pdf(devices) -> bytes:
    labels = [{"device": device, "qr": qr_data_uri(device_url(device))} for device in devices]
    return render_pdf("inventory/pdf/labels.html", {"labels": labels})
