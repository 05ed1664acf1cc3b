"""Action pages refuse by the workflow's own reason, lists export, and periods end at the next midnight."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from backups import services, stats
from backups.models import BackupMedium, BackupRun, StocktakeLine

TZ = timezone.get_current_timezone()


@pytest.fixture
def tape(dba):
    return BackupMedium.objects.create(label="TAPE-01", kind="tape", capacity_gb=800, place="机房 A 柜", custodian=dba)


def test_a_closed_stocktake_is_not_counted_again(client, tape, dba):
    stocktake = services.stocktake_open(location="on_site", by=dba)
    line = stocktake.lines.get()
    services.stocktake_record(stocktake=stocktake, results={line.pk: ("found", "")}, by=dba)
    services.take_step(stocktake, "close", by=dba)
    client.force_login(dba)
    url = f"/backups/stocktakes/{stocktake.pk}/count/"
    assert client.get(url).status_code == 403
    response = client.post(url, {f"result_{line.pk}": "missing", f"note_{line.pk}": ""})
    assert response.status_code == 200 and "本次盘点已结束。" in response.content.decode()
    line.refresh_from_db()
    assert line.result == StocktakeLine.Result.FOUND


def test_a_signed_handover_has_no_sign_page(client, tape, dba, it_head):
    handover = services.custody_handover_create(
        media=[tape], from_person=dba, to_person=it_head, to_location="off_site", to_place="档案馆", by=dba
    )
    services.take_step(handover, "sign", by=it_head)
    client.force_login(it_head)
    assert client.get(f"/backups/custody/{handover.pk}/sign/").status_code == 403
    tape.refresh_from_db()
    assert tape.custodian == it_head and tape.place == "档案馆"


def test_evidence_page_of_a_handover_opens_only_while_evidence_may_be_linked(client, dba, it_head, make_user):
    successor = make_user("it_officer")
    bystander = make_user("it_officer")
    handover = services.dba_handover_start(departing_dba=dba, successor=successor, by=it_head, plan_handed_over=True)
    url = f"/backups/dba-handovers/{handover.pk}/link/"
    for user, status in ((successor, 200), (it_head, 200), (bystander, 403)):
        client.force_login(user)
        assert client.get(url).status_code == status
    client.force_login(bystander)
    response = client.post(url, {})
    assert response.status_code == 200 and handover.backup_run_id is None


def test_backup_runs_export_as_csv(client, dba, make_target, make_run):
    make_run(make_target("HIS-DB"))
    client.force_login(dba)
    response = client.get("/backups/runs/?export=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "HIS-DB 数据库" in response.content.decode("utf-8-sig")


def test_a_period_ends_before_the_next_midnight(make_target):
    target = make_target()
    for started in (datetime(2026, 11, 30, 23, 59, tzinfo=TZ), datetime(2026, 12, 1, 0, 0, tzinfo=TZ)):
        BackupRun.objects.create(
            target=target, started_at=started, finished_at=started, status=BackupRun.Status.SUCCESS, size_bytes=10
        )
    assert stats.backup_success_rate(date(2026, 11, 1), date(2026, 11, 30))["total"] == 1
    assert stats.backup_volume_bytes(date(2026, 11, 1), date(2026, 11, 30)) == 10
