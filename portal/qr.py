"""QR codes as data: URIs, for pages and PDFs alike (no network, no image files).

A code is a PNG of one pixel per module, a few hundred bytes: the page or PDF scales it up without smoothing
(``image-rendering: pixelated``), so six hundred of them on a label sheet cost WeasyPrint next to nothing.
"""

import base64
import io

import qrcode


def qr_data_uri(text: str) -> str:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=1, box_size=1)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().get_image().convert("1").save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
