"""Issue 15: a checksum or integrity check is not a restore test (000 数据备份 3; 001 七 3, 八(六)5), and a plan
keeps a full backup off site unless the IT head approved a waiver (000 数据备份 8)."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from backups import services
from backups.forms import DbaHandoverLinkForm
from backups.models import BackupAlert, BackupMedium, OffsiteWaiver, Verification
from backups.selectors import board_rows
from portal.exceptions import ActionRefused
from portal.models import Notification
from portal.workflow import available_actions
from tests.permissions import assert_permission_matrix


def _check(target, run, method, *, days_ago=1, result=Verification.Result.PASS, operator=None):
    started = timezone.now() - timedelta(days=days_ago)
    return Verification.objects.create(
        target=target,
        backup_run=run,
        method=method,
        result=result,
        started_at=started,
        finished_at=started + timedelta(minutes=20),
        restore_seconds=900 if method in (Verification.Method.FULL_RESTORE, Verification.Method.FILE_RESTORE) else None,
        operator=operator,
    )


def _row(target):
    return next(row for row in board_rows() if row.target == target)


def _board_row(client, user, target):
    client.force_login(user)
    page = client.get("/backups/").content.decode()
    row = page[page.index(f'data-target="{target.code}"') :]
    return row[: row.index("</tr>")]


def _log():
    return [SimpleUploadedFile("check.log", "核对完成\n".encode(), content_type="text/plain")]


# --- restore tests are restores ----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["checksum", "integrity", "catalogue"])
def test_an_integrity_check_does_not_meet_the_restore_interval(client, dba, make_target, make_run, method):
    target = make_target()
    _check(target, make_run(target, hours_ago=3), method)
    row = _row(target)
    assert row.status == "red"
    assert row.overdue == {"restore"}
    assert "no real restore test inside the interval (an integrity check is not one)" in [str(r) for r in row.reasons]
    html = _board_row(client, dba, target)
    assert 'data-overdue="restore"' in html and 'data-overdue="integrity"' not in html
    assert "恢复试验" in html


@pytest.mark.parametrize("method", ["full_restore", "file_restore"])
def test_a_real_restore_meets_both_the_restore_and_the_integrity_interval(client, dba, make_target, make_run, method):
    target = make_target()
    _check(target, make_run(target, hours_ago=3), method)
    row = _row(target)
    assert (row.status, row.overdue) == ("green", frozenset())
    assert 'data-overdue="' not in _board_row(client, dba, target)


def test_integrity_and_restore_go_red_each_on_their_own(client, dba, make_target, make_run):
    target = make_target(verification_interval_days=7)
    run = make_run(target, hours_ago=3)
    _check(target, run, Verification.Method.FULL_RESTORE, days_ago=10)
    _check(target, run, Verification.Method.CHECKSUM, days_ago=2)
    assert _row(target).overdue == {"restore"}
    Verification.objects.filter(method=Verification.Method.CHECKSUM).delete()
    _check(target, run, Verification.Method.FULL_RESTORE, days_ago=2)
    Verification.objects.filter(started_at__lt=timezone.now() - timedelta(days=5)).delete()
    assert _row(target).overdue == frozenset()


def test_the_hourly_check_alerts_a_missing_restore_test_once(make_target, make_run, dba):
    target = make_target()
    run = make_run(target, hours_ago=2)
    _check(target, run, Verification.Method.CHECKSUM)
    services.lapses_check()
    services.lapses_check()
    alerts = BackupAlert.objects.filter(target=target)
    assert [alert.kind for alert in alerts] == [BackupAlert.Kind.NO_RESTORE]
    assert Notification.objects.filter(
        recipient=dba, title="Backup alert: HIS-DB 数据库 — No real restore test inside the interval"
    ).exists()


def test_a_manual_restore_test_gives_its_restore_time_and_what_was_compared(make_target, make_run, dba):
    target = make_target()
    run = make_run(target)
    now = timezone.now()
    fields = {"result": "pass", "started_at": now - timedelta(minutes=30), "finished_at": now}
    with pytest.raises(ActionRefused, match="a restore test is a real restore; give the measured restore time"):
        services.verification_record(
            target=target, backup_run=run, operator=dba, log_files=_log(), method="full_restore", notes="x", **fields
        )
    with pytest.raises(ActionRefused, match="say where the backup was restored to"):
        services.verification_record(
            target=target, backup_run=run, operator=dba, log_files=_log(), method="file_restore",
            restore_seconds=600, notes=" ", **fields,
        )  # fmt: skip
    with pytest.raises(ActionRefused, match="restores nothing"):
        services.verification_record(
            target=target, backup_run=run, operator=dba, log_files=_log(), method="checksum",
            restore_seconds=600, **fields,
        )  # fmt: skip
    assert not target.verifications.exists()
    check = services.verification_record(
        target=target, backup_run=run, operator=dba, log_files=_log(), method="checksum", **fields
    )
    assert not check.is_restore


def test_the_refusal_names_the_policy_on_the_page_in_chinese(client, dba, make_target, make_run):
    target = make_target()
    run = make_run(target)
    client.force_login(dba)
    response = client.post(
        f"/backups/verifications/new/?target={target.pk}",
        {
            "backup_run": run.pk,
            "method": "full_restore",
            "result": "pass",
            "started_at": "2026-01-05T08:00",
            "finished_at": "2026-01-05T08:30",
            "log_files": _log()[0],
        },
    )
    assert response.status_code == 200 and not target.verifications.exists()
    assert "《数据备份工作制度》第3条" in response.content.decode()


def test_a_dba_handover_needs_the_successors_real_restore(make_target, make_run, make_user, dba, it_head):
    successor = make_user("dba", full_name="王磊")
    handover = services.dba_handover_start(departing_dba=dba, successor=successor, by=it_head, plan_handed_over=True)
    target = make_target()
    run = make_run(target)
    now = timezone.now()
    check = services.verification_record(
        target=target,
        backup_run=run,
        operator=successor,
        log_files=_log(),
        method="checksum",
        result="pass",
        started_at=now,
        finished_at=now,
    )
    handover.refresh_from_db()
    assert handover.verification is None
    with pytest.raises(ActionRefused, match="信息工作移交制度 3"):
        services.dba_handover_link(handover=handover, by=successor, verification=check)
    assert check not in DbaHandoverLinkForm(handover=handover).fields["verification"].queryset
    restore = services.verification_record(
        target=target,
        backup_run=run,
        operator=successor,
        log_files=_log(),
        method="full_restore",
        result="pass",
        started_at=now,
        finished_at=now + timedelta(minutes=30),
        restore_seconds=1200,
        notes="恢复到测试库，核对记录数一致",
    )
    handover.refresh_from_db()
    assert handover.verification == restore


def test_the_data_migration_reclassifies_the_workers_sqlite_checks_only(make_target, make_run, dba):
    target = make_target()
    run = make_run(target)
    automatic = _check(target, run, Verification.Method.INTEGRITY)
    Verification.objects.filter(pk=automatic.pk).update(is_automatic=True)
    manual = _check(target, run, Verification.Method.INTEGRITY, operator=dba)
    migration = importlib.import_module("backups.migrations.0005_restore_tests_and_offsite_waivers")
    migration.automatic_sqlite_checks_are_restores(apps, None)
    automatic.refresh_from_db()
    manual.refresh_from_db()
    assert automatic.method == Verification.Method.FULL_RESTORE and automatic.is_restore
    assert manual.method == Verification.Method.INTEGRITY and not manual.is_restore


# --- off-site copies ---------------------------------------------------------------------------------


@pytest.fixture
def offsite_target(make_target, make_run):
    """A plan that keeps an off-site copy, its restore test done: only the off-site rule decides its colour."""
    target = make_target("EMR-DB", offsite_copy=True)
    _check(target, make_run(target, hours_ago=5), Verification.Method.FULL_RESTORE, days_ago=0.1)
    return target


def _medium(dba, label, location):
    return BackupMedium.objects.create(
        label=label, kind="tape", capacity_gb=100, location=location, place="档案室", custodian=dba
    )


def test_a_plan_without_an_off_site_full_backup_is_red(client, dba, offsite_target, make_run):
    make_run(offsite_target, hours_ago=3, medium=_medium(dba, "T-ON", "on_site"))
    row = _row(offsite_target)
    assert row.status == "red" and row.overdue == {"offsite"}
    assert "no medium holding a full backup inside the window is recorded off site" in [str(r) for r in row.reasons]
    assert 'data-overdue="offsite"' in _board_row(client, dba, offsite_target)

    make_run(offsite_target, hours_ago=2, medium=_medium(dba, "T-OFF", "off_site"))
    assert _row(offsite_target).status == "green"


def test_an_off_site_medium_holding_only_an_old_or_incremental_backup_does_not_count(dba, offsite_target, make_run):
    away = _medium(dba, "T-OFF", "off_site")
    make_run(offsite_target, hours_ago=24 * 8, medium=away)
    make_run(offsite_target, hours_ago=3, kind="incremental", medium=away)
    make_run(offsite_target, hours_ago=4)
    assert _row(offsite_target).overdue == {"offsite"}
    services.lapses_check()
    assert BackupAlert.objects.filter(target=offsite_target, kind=BackupAlert.Kind.NO_OFFSITE).count() == 1


def test_the_plan_form_cannot_turn_the_off_site_copy_off(client, it_head, offsite_target):
    client.force_login(it_head)
    page = client.get(f"/backups/targets/{offsite_target.pk}/edit/").content.decode()
    assert 'name="offsite_copy"' not in page


def test_only_the_it_heads_approval_turns_the_off_site_copy_off(client, dba, it_head, offsite_target):
    with pytest.raises(ActionRefused, match="数据备份工作制度 8"):
        services.offsite_waiver_request(target=offsite_target, reason="  ", by=dba)
    client.force_login(dba)
    response = client.post(f"/backups/targets/{offsite_target.pk}/offsite-waiver/", {"reason": "数据已由厂商异地容灾"})
    waiver = OffsiteWaiver.objects.get()
    assert response.status_code == 302 and response["Location"] == waiver.get_absolute_url()
    assert waiver.state == OffsiteWaiver.State.PENDING and waiver.requested_by == dba
    offsite_target.refresh_from_db()
    assert offsite_target.offsite_copy
    assert Notification.objects.filter(recipient=it_head, url=waiver.get_absolute_url()).exists()
    # A second request while one waits is refused (the page set the language to Chinese).
    with pytest.raises(ActionRefused, match="已有一份待信息科主任审批的豁免申请"):
        services.offsite_waiver_request(target=offsite_target, reason="again", by=dba)

    # The DBA cannot approve; the refusal is flashed and nothing changes.
    response = client.post(f"/backups/offsite-waivers/{waiver.pk}/approve/", follow=True)
    assert "信息科主任" in response.content.decode()
    waiver.refresh_from_db()
    assert waiver.state == OffsiteWaiver.State.PENDING

    client.force_login(it_head)
    page = client.get(waiver.get_absolute_url()).content.decode()
    assert "数据已由厂商异地容灾" in page and f"/backups/offsite-waivers/{waiver.pk}/approve/" in page
    client.post(f"/backups/offsite-waivers/{waiver.pk}/approve/", {"comment": "同意"})
    waiver.refresh_from_db()
    offsite_target.refresh_from_db()
    assert (waiver.state, waiver.decided_by, waiver.decision_note) == (OffsiteWaiver.State.APPROVED, it_head, "同意")
    assert not offsite_target.offsite_copy
    assert offsite_target.history.first().history_change_reason == waiver.number
    row = _row(offsite_target)
    assert row.status == "green" and row.overdue == frozenset()
    assert "不需要" in _board_row(client, it_head, offsite_target)
    assert Notification.objects.filter(recipient=dba, url=waiver.get_absolute_url()).exists()

    # Keeping an off-site copy again needs no approval.
    client.post(f"/backups/targets/{offsite_target.pk}/require-offsite/")
    offsite_target.refresh_from_db()
    assert offsite_target.offsite_copy


def test_a_rejection_says_why_and_keeps_the_copy(it_head, dba, offsite_target):
    waiver = services.offsite_waiver_request(target=offsite_target, reason="不想送了", by=dba)
    actions = {action.name: action for action in available_actions(waiver, it_head)}
    assert actions["reject"].needs_comment and set(actions) == {"approve", "reject"}
    assert available_actions(waiver, dba) == []
    services.take_step(waiver, "reject", by=it_head, comment="介质异地存放是制度要求")
    waiver.refresh_from_db()
    offsite_target.refresh_from_db()
    assert waiver.state == OffsiteWaiver.State.REJECTED and offsite_target.offsite_copy
    with pytest.raises(ActionRefused):
        services.take_step(waiver, "approve", by=it_head)


def test_waiver_pages_from_outside(client, dba, it_head, it_officer, make_user, offsite_target):
    staff = make_user("staff")
    assert_permission_matrix(
        client, f"/backups/targets/{offsite_target.pk}/offsite-waiver/", allowed=[dba, it_head],
        forbidden=[it_officer, staff],
    )  # fmt: skip
    waiver = services.offsite_waiver_request(target=offsite_target, reason="容灾", by=dba)
    assert_permission_matrix(client, "/backups/offsite-waivers/", allowed=[dba, it_officer], forbidden=[staff])
    assert_permission_matrix(client, waiver.get_absolute_url(), allowed=[it_head], forbidden=[staff])
    assert_permission_matrix(
        client, f"/backups/offsite-waivers/{waiver.pk}/reject/", allowed=[it_head], forbidden=[dba, it_officer]
    )


def test_a_medium_moves_off_site_only_by_a_custody_handover_not_by_its_edit_form(client, dba, offsite_target, make_run):
    medium = _medium(dba, "TAPE-09", BackupMedium.Location.ON_SITE)
    client.force_login(dba)
    url = reverse("backups:medium_edit", args=[medium.pk])
    assert "只能通过介质交接变更" in client.get(url).content.decode()
    response = client.post(
        url,
        {"label": "TAPE-09", "kind": medium.kind, "capacity_gb": "100", "location": "off_site", "place": "异地库房",
         "custodian": dba.pk, "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    medium.refresh_from_db()
    assert (medium.location, medium.place) == (BackupMedium.Location.ON_SITE, "异地库房")
