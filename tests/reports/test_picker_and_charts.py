import subprocess

import pytest
from django.urls import reverse

from reports.assembly import Report, build_report
from reports.content import Chart, Section, Table
from reports.periods import Kind, Period
from reports.rendering import drawn_sections, report_pdf

pytestmark = pytest.mark.usefixtures("voucher_section")


def test_the_custom_period_dates_arrive_as_iso_dates_the_date_input_accepts(client, make_user):
    client.force_login(make_user("leader"))
    html = client.get(reverse("reports:report")).content.decode()
    # Clock: 2026-01-05, so the default is last month, December 2025.
    assert 'type="date" name="start" value="2025-12-01"' in html
    assert 'type="date" name="end" value="2025-12-31"' in html
    assert "2025/12/01" not in html


def test_an_invalid_hidden_field_is_named_in_a_message_and_does_not_block_the_browser(client, make_user):
    client.force_login(make_user("leader"))
    response = client.get(
        reverse("reports:report"), {"kind": "custom", "year": "1999", "start": "2026-11-01", "end": "2026-11-30"}
    )
    html = response.content.decode()
    assert "report" not in response.context
    alert = html[html.index('data-testid="period-errors"') : html.index('id="period-form"')]
    assert "报表暂不能显示" in alert and "年份" in alert and "2000" in alert
    assert 'id="period-form" class="row g-2 align-items-end" novalidate' in html


def test_an_empty_chart_says_no_data_instead_of_drawing_a_bare_axis(client, make_user):
    client.force_login(make_user("leader"))
    html = client.get(reverse("reports:report"), {"kind": "monthly", "year": "2026", "month": "3"}).content.decode()
    assert 'data-testid="chart-empty"' in html and "本期无数据" in html and "凭证按状态" in html
    assert 'data-testid="chart"' not in html


def test_a_chart_with_figures_is_still_drawn():
    section = Section("s", "S", charts=[Chart("空", ["a", "b"], {"n": [0, None]}), Chart("有", ["a"], {"n": [3]})])
    report = Report(period=Period.of(Kind.MONTHLY, 2026, 3), sections=[section])
    (empty_title, empty_uri), (title, uri) = drawn_sections(report)[0]["charts"]
    assert (empty_title, empty_uri) == ("空", None)
    assert title == "有" and uri.startswith("data:image/svg+xml;base64,")


def test_the_pdf_says_no_data_for_an_empty_chart(db, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(report_pdf(build_report(Period.of(Kind.MONTHLY, 2026, 3))))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "本期无数据" in text and "凭证按状态" in text


@pytest.mark.parametrize("rows", [22, 25])
def test_no_table_title_is_left_alone_at_the_foot_of_a_pdf_page(db, tmp_path, rows):
    # Without "break-after: avoid", these row counts leave a table's title as the last line of a page.
    tables = [
        Table(f"t{n}", f"表{n}标题", ["列"], [[f"行{r}"] for r in range(rows if n == 0 else 6)]) for n in range(8)
    ]
    report = Report(period=Period.of(Kind.MONTHLY, 2026, 3), sections=[Section("s", "节", tables=tables)])
    path = tmp_path / "report.pdf"
    path.write_bytes(report_pdf(report))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = [[line.strip() for line in page.splitlines() if line.strip()] for page in text.split("\f") if page.strip()]
    last_lines = [next(line for line in reversed(page) if not line.startswith("第")) for page in pages]
    assert len(pages) >= 4
    assert not [line for line in last_lines if line.startswith("表") and line.endswith("标题")]
