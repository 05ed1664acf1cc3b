"""Menus and page titles name the register, not a count; media stocktakes number in their own series."""

import pytest
from django.urls import reverse

from backups import services
from backups.models import BackupMedium
from inventory import services as inventory_services


@pytest.fixture
def tape(dba):
    return BackupMedium.objects.create(
        label="TAPE-2026-01", kind="tape", capacity_gb=12000, place="机房磁带柜", custodian=dba
    )


def test_media_and_equipment_stocktakes_have_their_own_number_series(tape, dba, it_officer):
    media = services.stocktake_open(location="on_site", by=dba)
    equipment = inventory_services.stocktake_open(scope="all", by=it_officer)
    assert media.number == "JZPD-2026-000001"
    assert equipment.number == "PD-2026-000001"


def test_menus_and_titles_name_the_registers(client, it_officer):
    client.force_login(it_officer)
    html = client.get("/backups/runs/").content.decode()
    assert "盘点次数" not in html and "备份次数" not in html
    for name in ("备份记录", "介质盘点", "设备盘点"):
        assert f">{name}</a>" in html
    assert "<title>备份记录" in html and '<h1 class="h4 mb-0">备份记录</h1>' in html
    assert '<h1 class="h4 mb-0">设备盘点</h1>' in client.get("/inventory/stocktakes/").content.decode()


def test_stocktake_list_columns_and_english_titles(client, it_officer, dba):
    inventory_services.stocktake_open(scope="all", by=it_officer)
    client.force_login(it_officer)
    html = client.get("/inventory/stocktakes/").content.decode()
    assert '<a href="?sort=scope">盘点范围</a>' in html
    client.cookies["django_language"] = "en"
    for url, title in (
        ("/backups/runs/", "Backup runs"),
        ("/backups/stocktakes/", "Media stocktakes"),
        ("/backups/media/", "Backup media"),
        ("/inventory/stocktakes/", "Stocktakes"),
    ):
        assert f'<h1 class="h4 mb-0">{title}</h1>' in client.get(url).content.decode(), url
    assert '<a href="?sort=scope">Stocktake scope</a>' in client.get("/inventory/stocktakes/").content.decode()
    assert '<h1 class="h4">New stocktake</h1>' in client.get("/inventory/stocktakes/new/").content.decode()
    client.force_login(dba)
    assert '<a href="?sort=size_bytes">Size</a>' in client.get("/backups/runs/").content.decode()
    assert (
        '<a href="?sort=restore_seconds">Restore time (s)</a>' in client.get("/backups/verifications/").content.decode()
    )


def test_media_stocktake_is_counted_on_its_page(client, tape, dba):
    stocktake = services.stocktake_open(location="on_site", by=dba)
    line = stocktake.lines.get()
    client.force_login(dba)
    page = client.get(stocktake.get_absolute_url()).content.decode()
    assert f'name="result_{line.pk}"' in page and "<th>介质</th>" in page
    response = client.post(
        reverse("backups:stocktake_count", args=[stocktake.pk]), {f"result_{line.pk}": "found", f"note_{line.pk}": ""}
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.result == "found"
