import io
import time

from pypdf import PdfReader

from portal.pdf import harfbuzz_subset_available, render_pdf

SAMPLE = "设备报修单：内科 心电图机 故障，经办人张伟。"


def _render():
    return render_pdf("tests/sample_pdf.html", {"text": SAMPLE})


def test_chinese_text_survives_in_the_pdf():
    pdf = _render()
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "设备报修单" in text
    assert "经办人张伟" in text
    fonts = {str(font) for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert fonts, "a font must be embedded"


def test_font_subsetting_is_fast():
    assert harfbuzz_subset_available(), "install libharfbuzz-subset0: without it every PDF costs ~10 s"
    _render()  # warm the font cache
    started = time.perf_counter()
    pdf = _render()
    elapsed = time.perf_counter() - started
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert elapsed < 1.0, f"one-page PDF took {elapsed:.2f} s"
    assert len(pdf) < 1_000_000, "the CJK font (16 MB whole) must be subset"
