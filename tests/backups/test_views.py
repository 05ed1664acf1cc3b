from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backups import services
from backups.models import BackupMedium, BackupRun, CustodyHandover, ServerOperation, Verification
from tests.permissions import assert_permission_matrix

LIST_URLS = [
    "/backups/",
    "/backups/targets/",
    "/backups/runs/",
    "/backups/verifications/",
    "/backups/media/",
    "/backups/custody/",
    "/backups/stocktakes/",
    "/backups/operations/",
    "/backups/dba-handovers/",
]


@pytest.fixture
def people(make_user, other_department):
    return {
        role: make_user(role, department=other_department if role == "staff" else None)
        for role in (
            "dba",
            "it_head",
            "it_officer",
            "auditor",
            "leader",
            "staff",
            "dept_head",
            "hr",
            "secrecy_reviewer",
        )
    }


@pytest.mark.parametrize("url", LIST_URLS)
def test_read_pages_for_it_leaders_and_the_auditor_only(client, people, url):
    assert_permission_matrix(
        client,
        url,
        allowed=[people[role] for role in ("dba", "it_head", "it_officer", "auditor", "leader")],
        forbidden=[people[role] for role in ("staff", "dept_head", "hr", "secrecy_reviewer")],
    )


@pytest.mark.parametrize(
    "url",
    [
        "/backups/targets/new/",
        "/backups/verifications/new/",
        "/backups/media/new/",
        "/backups/custody/new/",
        "/backups/dba-handovers/new/",
    ],
)
def test_management_pages_for_dba_and_it_head(client, people, url):
    assert_permission_matrix(
        client,
        url,
        allowed=[people["dba"], people["it_head"]],
        forbidden=[people[role] for role in ("it_officer", "auditor", "leader", "staff")],
    )


@pytest.mark.parametrize("url", ["/backups/runs/new/", "/backups/operations/new/"])
def test_it_officer_records_runs_and_server_operations(client, people, url):
    assert_permission_matrix(
        client,
        url,
        allowed=[people["dba"], people["it_head"], people["it_officer"]],
        forbidden=[people[role] for role in ("auditor", "leader", "staff")],
    )


def test_target_detail_is_readable_but_its_buttons_are_for_managers(client, people, make_target):
    target = make_target()
    url = target.get_absolute_url()
    assert_permission_matrix(client, url, allowed=[people["auditor"], people["dba"]], forbidden=[people["staff"]])
    client.force_login(people["auditor"])
    page = client.get(url).content.decode()
    assert "签发令牌" not in page and "Issue token" not in page
    assert client.post(f"{url}issue-token/", {"label": "x"}).status_code == 403


def test_board_shows_the_portal_backup_and_its_passing_check_in_chinese(
    client, dba, django_capture_on_commit_callbacks
):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the SQLite loop")
    from backups import tasks

    with django_capture_on_commit_callbacks(execute=True):
        tasks.back_up_portal_database.delay()
    client.force_login(dba)
    page = client.get("/backups/").content.decode()
    row = page[page.index('data-target="PORTAL-DB"') :]
    row = row[: row.index("</tr>")]
    assert 'data-status="green"' in row
    assert "通过" in row


def test_board_lists_failures_first(client, dba, make_target, make_run):
    ok = make_target("AAA-OK", name="甲系统")
    make_run(ok)
    Verification.objects.create(
        target=ok,
        backup_run=ok.runs.get(),
        method="full_restore",
        result="pass",
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )
    make_target("ZZZ-LATE", name="乙系统", created_at=timezone.now() - timedelta(days=5))
    client.force_login(dba)
    page = client.get("/backups/").content.decode()
    assert page.index('data-target="ZZZ-LATE"') < page.index('data-target="AAA-OK"')


def test_list_pages_use_the_same_number_of_queries_for_many_rows(client, dba, make_target, make_run):
    client.force_login(dba)
    target = make_target()
    medium = BackupMedium.objects.create(label="T-0", kind="tape", capacity_gb=1, place="机房", custodian=dba)
    first = make_run(target, medium=medium)
    Verification.objects.create(
        target=target,
        backup_run=first,
        method="checksum",
        result="pass",
        started_at=first.started_at,
        finished_at=first.finished_at,
        operator=dba,
    )
    ServerOperation.objects.create(
        server="S",
        target=target,
        kind="other",
        started_at=first.started_at,
        operator=dba,
        recorded_by=dba,
        description="x",
    )
    baseline = {}
    for url in LIST_URLS:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        baseline[url] = len(ctx)
    now = timezone.now()
    runs = BackupRun.objects.bulk_create(
        BackupRun(
            target=target,
            started_at=now - timedelta(hours=n),
            finished_at=now,
            status="success",
            medium=medium,
            operator=dba,
        )
        for n in range(1, 230)
    )
    Verification.objects.bulk_create(
        Verification(
            target=target,
            backup_run=run,
            method="checksum",
            result="pass",
            started_at=now,
            finished_at=now,
            operator=dba,
        )
        for run in runs
    )
    ServerOperation.objects.bulk_create(
        ServerOperation(
            server="S", target=target, kind="other", started_at=now, operator=dba, recorded_by=dba, description="x"
        )
        for _ in range(230)
    )
    BackupMedium.objects.bulk_create(
        BackupMedium(label=f"M-{n}", kind="tape", capacity_gb=1, place="机房", custodian=dba) for n in range(230)
    )
    for url in LIST_URLS:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        assert len(ctx) <= baseline[url], (url, [query["sql"][:120] for query in ctx.captured_queries])


@time_machine.travel("2026-11-20 12:00 +0800")
def test_run_recorded_by_hand_keeps_what_was_typed_on_error(client, it_officer, make_target):
    target = make_target()
    client.force_login(it_officer)
    data = {
        "target": target.pk,
        "kind": "full",
        "status": "failed",
        "started_at": "2026-11-20T02:00",
        "finished_at": "2026-11-20T02:30",
        "location": "/backup/his/x.dmp",
    }
    response = client.post("/backups/runs/new/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "/backup/his/x.dmp" in page
    assert "说明失败原因" in page
    response = client.post("/backups/runs/new/", {**data, "error": "磁带机报错"})
    run = target.runs.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert run.operator == it_officer and run.source == BackupRun.Source.MANUAL


def test_manual_restore_test_with_its_log(client, dba, it_head, make_target, make_run):
    target = make_target()
    run = make_run(target)
    client.force_login(dba)
    url = f"/backups/verifications/new/?target={target.pk}"
    assert client.get(url).status_code == 200
    data = {
        "backup_run": run.pk,
        "method": "full_restore",
        "result": "pass",
        "started_at": "2026-11-20T09:00",
        "finished_at": "2026-11-20T09:40",
        "restore_seconds": "1820",
        "notes": "恢复到测试库，核对门诊挂号记录数一致",
        "witness": it_head.pk,
    }
    response = client.post(url, data)
    assert response.status_code == 200 and not target.verifications.exists()
    data["log_files"] = SimpleUploadedFile("restore.log", b"RMAN restore complete\n", content_type="text/plain")
    response = client.post(url, data)
    verification = target.verifications.get()
    assert response["Location"] == verification.get_absolute_url()
    assert verification.operator == dba and verification.witness == it_head and verification.restore_seconds == 1820
    page = client.get(verification.get_absolute_url()).content.decode()
    assert "restore.log" in page


def test_failed_check_page_shows_both_checksums(client, dba, make_target, make_run):
    target = make_target()
    run = make_run(target, sha256="a" * 64)
    check = Verification.objects.create(
        target=target,
        backup_run=run,
        method="checksum",
        result="fail",
        started_at=timezone.now(),
        finished_at=timezone.now(),
        expected_sha256="a" * 64,
        found_sha256="b" * 64,
        error="checksum mismatch",
    )
    client.force_login(dba)
    page = client.get(check.get_absolute_url()).content.decode()
    assert "a" * 64 in page and "b" * 64 in page
    assert "不一致" in page


def test_token_is_shown_once_and_revocable_from_the_page(client, dba, make_target):
    target = make_target()
    client.force_login(dba)
    client.post(f"/backups/targets/{target.pk}/issue-token/", {"label": "HIS 服务器"})
    first = client.get(target.get_absolute_url()).content.decode()
    token = target.tokens.get()
    assert 'data-testid="new-token"' in first and token.prefix in first
    second = client.get(target.get_absolute_url()).content.decode()
    assert 'data-testid="new-token"' not in second
    client.post(f"/backups/targets/{target.pk}/revoke-token/", {"token": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == dba


def test_receiver_signs_custody_through_the_page(client, dba, it_head):
    tape = BackupMedium.objects.create(label="TAPE-9", kind="tape", capacity_gb=1, place="机房", custodian=dba)
    handover = services.custody_handover_create(
        media=[tape], from_person=dba, to_person=it_head, to_location="off_site", to_place="档案室", by=dba
    )
    client.force_login(dba)
    client.post(f"/backups/custody/{handover.pk}/sign/")
    handover.refresh_from_db()
    assert handover.state == CustodyHandover.State.PENDING
    client.force_login(it_head)
    assert "签收" in client.get(handover.get_absolute_url()).content.decode()
    client.post(f"/backups/custody/{handover.pk}/sign/")
    tape.refresh_from_db()
    assert tape.custodian == it_head and tape.location == "off_site"


def test_dashboard_counts_targets_out_of_policy_and_media_to_sign(client, dba, it_head, make_target):
    make_target(created_at=timezone.now() - timedelta(days=5))
    tape = BackupMedium.objects.create(label="TAPE-8", kind="tape", capacity_gb=1, place="机房", custodian=it_head)
    services.custody_handover_create(
        media=[tape], from_person=it_head, to_person=dba, to_location="on_site", to_place="机房", by=it_head
    )
    from backups.selectors import awaiting

    items = {str(item.label): item.count for item in awaiting(dba)}
    assert items["Backup targets out of policy"] >= 1
    assert items["Backup media to sign for"] == 1
    assert awaiting(it_head)[1].count == 0
