"""Durations in the backup register are bounded and agree with the start and end recorded beside them."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from backups.models import BackupTarget, Verification

START = timezone.make_aware(datetime(2026, 1, 5, 8, 0))


def _restore_form(run, restore_seconds, *, finished="2026-01-05T08:32"):
    return {
        "backup_run": run.pk,
        "method": "full_restore",
        "result": "pass",
        "started_at": "2026-01-05T08:00",
        "finished_at": finished,
        "restore_seconds": restore_seconds,
        "notes": "恢复到测试库，核对记录数一致",
        "log_files": SimpleUploadedFile("restore.log", b"RMAN restore complete\n", content_type="text/plain"),
    }


@pytest.mark.parametrize(
    ("restore_seconds", "message"),
    [
        ("1e30", "恢复用时不能超过本次试验本身：开始至结束之间最多 1920 秒。"),
        ("-5", "确保该值大于或等于0。"),
    ],
)
def test_a_restore_time_outside_the_test_is_refused_next_to_the_field(
    client, dba, make_target, make_run, restore_seconds, message
):
    target = make_target()
    run = make_run(target)
    client.force_login(dba)
    response = client.post(f"/backups/verifications/new/?target={target.pk}", _restore_form(run, restore_seconds))
    assert response.status_code == 200 and not target.verifications.exists()
    assert response.context["form"].errors["restore_seconds"] == [message]
    html = response.content.decode()
    assert 'id="error_1_id_restore_seconds"' in html and message in html


def test_a_measured_restore_inside_the_test_is_kept(client, dba, make_target, make_run):
    target = make_target()
    run = make_run(target)
    client.force_login(dba)
    # 32 minutes recorded to the minute; a measured 32 min 40 s still fits the rounding.
    response = client.post(f"/backups/verifications/new/?target={target.pk}", _restore_form(run, "1960"))
    assert response.status_code == 302
    assert target.verifications.get().restore_seconds == 1960


def test_a_test_spanning_more_than_a_week_is_refused(client, dba, make_target, make_run):
    target = make_target()
    run = make_run(target)
    client.force_login(dba)
    response = client.post(
        f"/backups/verifications/new/?target={target.pk}", _restore_form(run, "600", finished="2027-01-05T08:32")
    )
    assert response.context["form"].errors["finished_at"] == ["一次检查或恢复试验最长七天。"]
    assert not target.verifications.exists()


def test_the_database_refuses_an_absurd_restore_time(make_target, make_run):
    target = make_target()
    run = make_run(target)
    for seconds in (1e30, -1):
        with pytest.raises(IntegrityError), transaction.atomic():
            Verification.objects.create(
                target=target,
                backup_run=run,
                method=Verification.Method.FULL_RESTORE,
                result=Verification.Result.PASS,
                started_at=START,
                finished_at=START + timedelta(minutes=32),
                restore_seconds=seconds,
            )


def test_incremental_backups_run_inside_the_full_backup_interval(make_target):
    target = make_target(full_every_days=1, incremental_every_hours=48)
    with pytest.raises(ValidationError) as error:
        target.full_clean()
    assert error.value.message_dict == {
        "incremental_every_hours": ["Incremental backups run more often than the full backup."]
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        BackupTarget.objects.filter(pk=target.pk).update(incremental_every_hours=500)
    with pytest.raises(IntegrityError), transaction.atomic():
        BackupTarget.objects.filter(pk=target.pk).update(check_time_limit_minutes=600)
