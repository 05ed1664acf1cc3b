"""Label sheets: one page prints at once; a bigger sheet is laid out by the worker, its page following the progress."""

import datetime
import subprocess

import pytest
from django.utils import timezone

from inventory import views_labels
from inventory.models import LabelSheet
from inventory.tasks import LABEL_SHEET_JOB
from portal import jobs
from tests.inventory.factories import EquipmentFactory

pytestmark = pytest.mark.django_db


def pdf_text(tmp_path, content: bytes) -> tuple[int, str]:
    path = tmp_path / "labels.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return pages, text


def test_one_page_of_labels_prints_at_once(client, make_user, department, tmp_path):
    client.force_login(make_user("it_officer"))
    devices = [EquipmentFactory(status="spare", department=department) for _ in range(24)]
    response = client.get("/inventory/equipment/labels/pdf/?status=spare")
    assert response["Content-Type"] == "application/pdf"
    pages, text = pdf_text(tmp_path, response.content)
    assert pages == 1 and all(device.asset_no in text for device in devices) and "资产标签" in text
    assert not LabelSheet.objects.exists()


def test_a_bigger_sheet_is_laid_out_by_the_worker_and_its_page_offers_the_pdf(
    client, make_user, department, tmp_path, django_capture_on_commit_callbacks
):
    officer = make_user("it_officer")
    client.force_login(officer)
    devices = [EquipmentFactory(status="spare", department=department) for _ in range(25)]
    EquipmentFactory(status="in_use", department=department, asset_no="ZC-NOT-CHOSEN")
    confirm = client.get("/inventory/equipment/labels/pdf/?status=spare")
    assert confirm["Content-Type"].startswith("text/html")
    assert "25 个标签，共 2 页 A4" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/inventory/equipment/labels/pdf/?status=spare")
    sheet = LabelSheet.objects.get()
    assert response["Location"] == sheet.get_absolute_url()
    assert (sheet.status, sheet.progress, sheet.device_count, sheet.requested_by) == ("done", 100, 25, officer)
    progress = client.get(f"/inventory/label-sheets/{sheet.pk}/progress/").json()
    assert progress["download"] == f"/inventory/label-sheets/{sheet.pk}/pdf/" and progress["status_label"] == "可打印"
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert "可打印" in page and f"/inventory/label-sheets/{sheet.pk}/pdf/" in page and "job_progress.js" not in page
    pdf = b"".join(client.get(f"/inventory/label-sheets/{sheet.pk}/pdf/").streaming_content)
    pages, text = pdf_text(tmp_path, pdf)
    assert pages == 2 and all(device.asset_no in text for device in devices) and "ZC-NOT-CHOSEN" not in text


def test_a_queued_sheet_shows_its_progress_and_offers_no_pdf_yet(client, make_user, department):
    officer = make_user("it_officer")
    client.force_login(officer)
    sheet = LabelSheet.objects.create(requested_by=officer, devices=[], device_count=30, progress=40)
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert "job_progress.js" in page and "40%" in page and "排队中" in page
    assert client.get(f"/inventory/label-sheets/{sheet.pk}/pdf/").status_code == 404
    assert client.get(f"/inventory/label-sheets/{sheet.pk}/progress/").json()["download"] is None


def test_more_than_the_limit_is_refused_with_a_message_on_the_list(client, make_user, department, monkeypatch):
    monkeypatch.setattr(views_labels, "LABEL_SHEET_LIMIT", 3)
    client.force_login(make_user("it_officer"))
    for _ in range(4):
        EquipmentFactory(status="spare", department=department)
    for send in (client.get, client.post):
        response = send("/inventory/equipment/labels/pdf/?status=spare", follow=True)
        assert response.redirect_chain[-1][0] == "/inventory/equipment/?status=spare"
        assert "不超过 3 台设备" in response.content.decode()
    assert not LabelSheet.objects.exists()


def test_label_sheets_are_it_work(client, make_user, department):
    sheet = LabelSheet.objects.create(requested_by=make_user("it_officer"), devices=[], device_count=30)
    client.force_login(make_user("dept_head"))
    for url in (
        "/inventory/equipment/labels/pdf/",
        sheet.get_absolute_url(),
        f"/inventory/label-sheets/{sheet.pk}/pdf/",
    ):
        assert client.get(url).status_code == 403
    assert client.post("/inventory/equipment/labels/pdf/").status_code == 403


def test_a_sheet_whose_worker_is_lost_twice_fails_and_says_so_in_chinese(client, make_user):
    officer = make_user("it_officer")
    sheet = LabelSheet.objects.create(
        requested_by=officer,
        devices=[],
        device_count=30,
        status=LabelSheet.Status.RUNNING,
        requeued=1,
        attempted_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert jobs.requeue_lost(LABEL_SHEET_JOB) == {"requeued": 0, "failed": 1}
    client.force_login(officer)
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert "失败" in page and "两次中断" in page and "job_progress.js" not in page
