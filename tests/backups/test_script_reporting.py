"""Backup scripts report without a person typing: the token-authenticated endpoint and ``record_backup``."""

import hashlib
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from backups import services
from backups.models import BackupMedium, BackupRun, ScriptToken

URL = "/backups/api/runs/"
BODY = {
    "kind": "full",
    "status": "success",
    "started_at": "2026-11-20T02:00:00+08:00",
    "finished_at": "2026-11-20T02:40:00+08:00",
    "size_bytes": 53687091200,
    "sha256": "A" * 64,
    "location": "/backup/his/20261120-full.dmp",
}


def post(client, token=None, body=BODY):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(URL, data=json.dumps(body), content_type="application/json", **headers)


@pytest.fixture(autouse=True)
def _the_morning_after_the_backup():
    with time_machine.travel("2026-11-20 09:00 +0800"):
        yield


@pytest.fixture
def issued(make_target, dba):
    target = make_target()
    token, raw = services.script_token_issue(target=target, label="HIS 数据库服务器", by=dba)
    return target, token, raw


def test_url_is_the_contract():
    assert reverse("backups:api_runs") == URL


def test_valid_token_records_the_run_without_csrf(issued):
    from django.test import Client

    target, token, raw = issued
    client = Client(enforce_csrf_checks=True)
    response = post(client, raw)
    assert response.status_code == 201, response.content
    run = target.runs.get()
    assert run.pk == response.json()["id"]
    assert run.source == BackupRun.Source.ENDPOINT
    assert run.sha256 == "a" * 64
    assert run.size_bytes == 53687091200
    assert run.operator is None
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_the_hash_of_the_token_is_stored(issued):
    _, token, raw = issued
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in json.dumps(list(ScriptToken.objects.values()), default=str)


@pytest.mark.parametrize("token", [None, "not-a-token"])
def test_missing_or_unknown_token_is_401_and_records_nothing(client, issued, token):
    target, _, _ = issued
    response = post(client, token)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert not BackupRun.objects.filter(target=target).exists()


def test_revoked_token_is_403_and_records_nothing(client, issued, dba):
    target, token, raw = issued
    services.script_token_revoke(token=token, by=dba)
    response = post(client, raw)
    assert response.status_code == 403
    assert response.json()["error"] == "该令牌已注销。"
    assert not target.runs.exists()


def test_token_of_a_target_no_longer_in_use_is_403(client, issued):
    target, _, raw = issued
    target.is_active = False
    target.save()
    assert post(client, raw).status_code == 403
    assert not target.runs.exists()


def test_bad_body_is_400_with_the_reason(client, issued):
    target, _, raw = issued
    response = post(client, raw, {**BODY, "finished_at": "yesterday"})
    assert response.status_code == 400
    assert "finished_at" in response.json()["error"] and "ISO 8601" in response.json()["error"]
    response = post(client, raw, {**BODY, "sha256": "xyz"})
    assert response.status_code == 400
    assert "SHA-256" in response.json()["error"]
    assert not target.runs.exists()


def test_failed_run_reported_by_script_is_recorded_with_the_error(client, issued):
    target, _, raw = issued
    response = post(client, raw, {**BODY, "status": "failed", "sha256": "", "error": "RMAN-03009: failure of backup"})
    assert response.status_code == 201
    assert target.runs.get().error == "RMAN-03009: failure of backup"


def test_script_names_the_medium_by_label(client, issued, dba):
    target, _, raw = issued
    medium = BackupMedium.objects.create(label="TAPE-01", kind="tape", capacity_gb=12000, place="机房", custodian=dba)
    assert post(client, raw, {**BODY, "medium": "TAPE-01"}).status_code == 201
    assert target.runs.get().medium == medium
    assert post(client, raw, {**BODY, "medium": "TAPE-99"}).status_code == 400


def test_get_is_not_allowed(client):
    assert client.get(URL).status_code == 405


def test_only_dba_or_it_head_issues_tokens(make_target, it_officer):
    from portal.exceptions import ActionRefused

    with pytest.raises(ActionRefused):
        services.script_token_issue(target=make_target(), label="x", by=it_officer)


def test_record_backup_command_computes_size_and_checksum(make_target, tmp_path):
    target = make_target()
    dump = tmp_path / "his.dmp"
    dump.write_bytes(b"oracle export" * 1000)
    call_command("record_backup", "--target", target.code, "--file", str(dump), "--kind", "incremental")
    run = target.runs.get()
    assert run.source == BackupRun.Source.COMMAND
    assert run.kind == BackupRun.Kind.INCREMENTAL
    assert run.size_bytes == 13000
    assert run.sha256 == hashlib.sha256(dump.read_bytes()).hexdigest()
    assert run.location == str(dump)


def test_record_backup_command_refuses_bad_input(make_target):
    target = make_target()
    with pytest.raises(CommandError, match="No backup target"):
        call_command("record_backup", "--target", "NOPE")
    with pytest.raises(CommandError, match="went wrong"):
        call_command("record_backup", "--target", target.code, "--status", "failed")
    assert not target.runs.exists()
