import csv
import hashlib
import io
import subprocess

import openpyxl
import pytest
from django.urls import reverse

from reports.models import ReportArchive
from reports.periods import Kind, Period
from reports.services import report_request
from tests.permissions import assert_permission_matrix

pytestmark = pytest.mark.usefixtures("voucher_section", "vouchers")

MARCH = "kind=monthly&year=2026&month=3"


@pytest.fixture
def archived(make_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        archive = report_request(period=Period.of(Kind.MONTHLY, 2026, 3), by=make_user("leader", full_name="王院长"))
    archive.refresh_from_db()
    return archive


def test_who_may_open_reports(client, make_user):
    readers = [make_user(role) for role in ("leader", "it_head", "auditor", "dept_head")]
    others = [make_user(role) for role in ("staff", "it_officer", "dba", "hr", "secrecy_reviewer")]
    for url in (reverse("reports:report"), reverse("reports:archive")):
        assert_permission_matrix(client, url, allowed=readers, forbidden=others)


def test_the_page_shows_the_hand_counted_figures(client, make_user):
    client.force_login(make_user("leader"))
    response = client.get(f"{reverse('reports:report')}?{MARCH}")
    assert response.status_code == 200
    report = response.context["report"]
    table = report.section("vouchers").table("by-state")
    assert table.rows == [["草稿", 2, 350], ["已提交", 1, 7], ["已批准", 1, 40]]
    assert table.total == ["合计", 4, 397]
    days = report.section("vouchers").kpis[0]
    assert (days.value, days.previous, days.last_year) == (31, 28, 31)
    assert report.section("overview").kpis == [days]
    html = response.content.decode()
    assert "凭证统计" in html and "397" in html and 'data-testid="chart"' in html


def test_a_department_head_sees_only_their_department(client, make_user, department, other_department):
    head = make_user("dept_head")
    client.force_login(head)
    response = client.get(f"{reverse('reports:report')}?{MARCH}")
    assert response.context["department"] == department
    assert response.context["report"].section("vouchers").table("by-state").total == ["合计", 3, 390]
    response = client.get(f"{reverse('reports:report')}?{MARCH}&department={other_department.pk}")
    assert response.status_code == 403


def test_a_custom_period_with_the_end_before_the_start_is_refused_next_to_the_field(client, make_user):
    client.force_login(make_user("leader"))
    response = client.get(reverse("reports:report"), {"kind": "custom", "start": "2026-03-10", "end": "2026-03-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["end"]
    assert "report" not in response.context


def test_each_table_exports_as_csv_and_xlsx(client, make_user):
    client.force_login(make_user("it_head"))
    url = reverse("reports:export", args=["vouchers", "by-state", "csv"])
    response = client.get(f"{url}?{MARCH}")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["状态", "张数", "金额"],
        ["草稿", "2", "350"],
        ["已提交", "1", "7"],
        ["已批准", "1", "40"],
        ["合计", "4", "397"],
    ]
    response = client.get(f"{reverse('reports:export', args=['vouchers', 'by-state', 'xlsx'])}?{MARCH}")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[5]] == ["合计", 4, 397]
    assert client.get(f"{reverse('reports:export', args=['vouchers', 'nope', 'csv'])}?{MARCH}").status_code == 404


def test_generating_by_hand_queues_and_shows_progress(client, make_user, django_capture_on_commit_callbacks):
    leader = make_user("leader")
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:generate"), {"kind": "monthly", "year": 2026, "month": 3})
    archive = ReportArchive.objects.get()
    assert response["Location"] == archive.get_absolute_url()
    assert archive.generated_by == leader
    progress = client.get(reverse("reports:archive_progress", args=[archive.pk])).json()
    assert progress["status"] == "done" and progress["progress"] == 100 and progress["sha256"] == archive.sha256
    assert client.post(reverse("reports:generate"), {"kind": "monthly", "year": 2026, "month": 3}).status_code == 302
    client.force_login(make_user("auditor"))
    assert client.post(reverse("reports:generate"), {"kind": "monthly", "year": 2026, "month": 3}).status_code == 403


def test_the_download_is_byte_for_byte_the_archived_file(client, make_user, archived):
    client.force_login(make_user("auditor"))
    response = client.get(reverse("reports:archive_pdf", args=[archived.pk]))
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == archived.sha256
    assert response["X-Content-SHA256"] == archived.sha256
    listing = client.get(reverse("reports:archive")).content.decode()
    assert "王院长" in listing and archived.sha256[:14] in listing


def test_a_department_head_cannot_open_the_hospital_wide_archive(client, make_user, archived):
    client.force_login(make_user("dept_head"))
    assert client.get(reverse("reports:archive_detail", args=[archived.pk])).status_code == 404
    assert client.get(reverse("reports:archive_pdf", args=[archived.pk])).status_code == 404
    assert archived.title not in client.get(reverse("reports:archive")).content.decode()


def test_the_pdf_prints_the_same_totals_as_the_page(client, make_user, archived, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(archived.file.read())
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "凭证统计" in text and "凭证按状态" in text
    total_line = next(line for line in text.splitlines() if line.strip().startswith("合计"))
    assert total_line.split() == ["合计", "4", "397"]
    assert "王院长" in text
    assert "第1页/共4页" in text.replace(" ", "")
