"""QR codes drawn as SVG data: URIs, for pages and PDFs alike (no network, no image files)."""

import base64
import io

import qrcode
import qrcode.image.svg


def qr_data_uri(text: str) -> str:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=1)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
