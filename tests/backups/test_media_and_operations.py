import pytest
from django.db import IntegrityError
from django.utils import timezone

from backups import services
from backups.models import BackupMedium, CustodyHandover, MediaStocktake, ServerOperation, StocktakeLine
from portal.exceptions import ActionRefused
from portal.models import Notification
from portal.workflow import perform


@pytest.fixture
def tape(dba):
    return BackupMedium.objects.create(
        label="TAPE-2026-01", kind="tape", capacity_gb=12000, place="机房磁带柜", custodian=dba
    )


def test_custody_handover_signed_by_the_receiver_moves_the_medium(tape, dba, it_head):
    handover = services.custody_handover_create(
        media=[tape], from_person=dba, to_person=it_head, to_location="off_site", to_place="院办档案室保险柜", by=dba
    )
    assert handover.number.startswith("JJ-")
    assert Notification.objects.filter(recipient=it_head, title__contains=handover.number).exists()
    with pytest.raises(ActionRefused, match="Only the person receiving"):
        perform(handover, "sign", by=dba)
    tape.refresh_from_db()
    assert (tape.custodian, tape.location) == (dba, "on_site")

    perform(handover, "sign", by=it_head)
    tape.refresh_from_db()
    assert (tape.custodian, tape.location, tape.place) == (it_head, "off_site", "院办档案室保险柜")
    handover.refresh_from_db()
    assert handover.state == CustodyHandover.State.SIGNED and handover.signed_at is not None


def test_only_the_holder_hands_a_medium_over(tape, it_head, it_officer, dba):
    with pytest.raises(ActionRefused, match="does not hold"):
        services.custody_handover_create(
            media=[tape], from_person=it_officer, to_person=it_head, to_location="off_site", to_place="x", by=dba
        )
    with pytest.raises(ActionRefused, match="someone else"):
        services.custody_handover_create(
            media=[tape], from_person=dba, to_person=dba, to_location="off_site", to_place="x", by=dba
        )
    assert not CustodyHandover.objects.exists()


def test_stocktake_lists_the_media_and_closes_only_when_every_line_is_counted(tape, dba):
    other = BackupMedium.objects.create(
        label="TAPE-2026-02", kind="tape", capacity_gb=12000, place="机房磁带柜", custodian=dba
    )
    BackupMedium.objects.create(
        label="USB-01", kind="disk", capacity_gb=4000, location="off_site", place="分院", custodian=dba
    )
    stocktake = services.stocktake_open(location="on_site", by=dba)
    lines = {line.medium.label: line for line in stocktake.lines.select_related("medium")}
    assert set(lines) == {"TAPE-2026-01", "TAPE-2026-02"}
    with pytest.raises(ActionRefused, match="Record every medium"):
        perform(stocktake, "close", by=dba)
    with pytest.raises(ActionRefused, match="Say where"):
        services.stocktake_record(stocktake=stocktake, results={lines["TAPE-2026-01"].pk: ("elsewhere", "")}, by=dba)
    services.stocktake_record(
        stocktake=stocktake,
        results={lines["TAPE-2026-01"].pk: ("found", ""), lines["TAPE-2026-02"].pk: ("missing", "柜内未见")},
        by=dba,
    )
    perform(stocktake, "close", by=dba)
    stocktake.refresh_from_db()
    assert stocktake.state == MediaStocktake.State.CLOSED
    assert StocktakeLine.objects.get(stocktake=stocktake, medium=other).result == "missing"


def test_someone_other_than_the_dba_operates_only_with_a_dba_present(it_officer, dba, make_user):
    now = timezone.now()
    fields = {
        "server": "HIS-DB01",
        "kind": "patch",
        "started_at": now,
        "operator": it_officer,
        "description": "安装补丁",
    }
    with pytest.raises(ActionRefused, match="name the DBA who was present"):
        services.server_operation_record(by=it_officer, **fields)
    with pytest.raises(ActionRefused, match="is not a DBA"):
        services.server_operation_record(by=it_officer, present_dba=make_user("it_head"), **fields)
    operation = services.server_operation_record(by=it_officer, present_dba=dba, **fields)
    assert operation.present_dba == dba and operation.recorded_by == it_officer


def test_a_dba_operating_needs_no_one_else_but_cannot_witness_themself(dba):
    now = timezone.now()
    fields = {"server": "EMR-DB01", "kind": "backup", "started_at": now, "operator": dba, "description": "手工全量备份"}
    with pytest.raises(ActionRefused, match="someone other than the operator"):
        services.server_operation_record(by=dba, present_dba=dba, **fields)
    assert services.server_operation_record(by=dba, **fields).present_dba is None
    with pytest.raises(IntegrityError):
        ServerOperation.objects.create(recorded_by=dba, present_dba=dba, **fields)
