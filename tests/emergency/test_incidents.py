"""The security-incident register (000 账号及密码管理制度 6): open → resolved → reported, refusals with reasons."""

import subprocess

import pytest
from django.urls import reverse

from emergency import services
from emergency.models import SecurityIncident
from portal.exceptions import ActionRefused
from portal.workflow import available_actions

from .conftest import at, resolved


def test_an_incident_is_numbered_and_opens_with_its_measures(incident, officer):
    assert incident.number.startswith("AQSJ-2026-")
    assert incident.state == SecurityIncident.State.OPEN
    assert incident.recorded_by == officer


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"measures": "  "}, "临时技术保护与监控措施"),
        ({"discovered_at": at(2026, 1, 2, 9)}, "发现时间不能早于发生时间"),
        ({"occurred_at": at(2026, 2, 1, 9), "discovered_at": at(2026, 2, 2, 9)}, "事件发现之后才能登记"),
    ],
)
def test_an_incident_is_refused_without_measures_or_with_impossible_times(officer, changes, reason):
    values = {
        "kind": SecurityIncident.Kind.PASSWORD_LEAK,
        "title": "口令泄露",
        "description": "便条",
        "occurred_at": at(2026, 1, 3, 9),
        "discovered_at": at(2026, 1, 3, 10),
        "affected_systems": "HIS",
        "measures": "重置口令",
        **changes,
    }
    with pytest.raises(ActionRefused, match=reason):
        services.incident_record(by=officer, **values)
    assert not SecurityIncident.objects.exists()


def test_only_it_records_an_incident(leader):
    with pytest.raises(ActionRefused, match="只有信息科工程师和信息科主任可以登记安全事件"):
        services.incident_record(
            kind="other",
            title="x",
            description="x",
            occurred_at=at(2026, 1, 3, 9),
            discovered_at=at(2026, 1, 3, 9),
            affected_systems="x",
            measures="x",
            by=leader,
        )


def test_it_resolves_and_the_it_head_files_the_report(incident, officer, it_head):
    incident = resolved(incident, officer)
    assert incident.state == SecurityIncident.State.RESOLVED
    assert incident.resolved_by == officer
    incident = services.take_step(incident, "file_report", by=it_head, report="整理所有相关数据:已上报。")
    assert incident.state == SecurityIncident.State.REPORTED
    assert (incident.reported_by, incident.report) == (it_head, "整理所有相关数据:已上报。")
    assert incident.reported_at is not None


def test_an_open_incident_cannot_be_reported_before_it_is_resolved(incident, it_head):
    with pytest.raises(ActionRefused, match="处置中"):
        services.take_step(incident, "file_report", by=it_head, report="报告")


def test_an_it_officer_does_not_file_the_report(incident, officer):
    incident = resolved(incident, officer)
    with pytest.raises(ActionRefused, match="信息科主任"):
        services.take_step(incident, "file_report", by=officer, report="报告")
    assert "file_report" not in [action.name for action in available_actions(incident, officer)]


def test_leaders_and_the_auditor_only_read(incident, leader, auditor):
    for reader in (leader, auditor):
        assert available_actions(incident, reader) == []
        with pytest.raises(ActionRefused, match="只有以下角色可以办理此操作|Only these roles"):
            services.take_step(incident, "resolve", by=reader, resolution="x", resolved_at=at(2026, 1, 4, 16))


def test_an_empty_report_is_refused(incident, officer, it_head):
    incident = resolved(incident, officer)
    with pytest.raises(ActionRefused, match="报告须整理所有相关数据"):
        services.take_step(incident, "file_report", by=it_head, report="   ")
    incident.refresh_from_db()
    assert incident.state == SecurityIncident.State.RESOLVED


def test_a_resolution_before_the_discovery_or_in_the_future_is_refused(incident, officer):
    with pytest.raises(ActionRefused, match="解决时间不能早于发现时间"):
        services.take_step(incident, "resolve", by=officer, resolution="x", resolved_at=at(2026, 1, 4, 8))
    with pytest.raises(ActionRefused, match="不能提前登记"):
        services.take_step(incident, "resolve", by=officer, resolution="x", resolved_at=at(2026, 3, 1, 8))
    incident.refresh_from_db()
    assert incident.state == SecurityIncident.State.OPEN


def test_a_reported_incident_takes_no_further_step(incident, officer, it_head):
    incident = services.take_step(resolved(incident, officer), "file_report", by=it_head, report="报告")
    with pytest.raises(ActionRefused, match="已上报医院存档"):
        services.take_step(incident, "resolve", by=officer, resolution="x", resolved_at=at(2026, 1, 4, 16))


def test_the_report_form_is_drafted_from_the_register(client, incident, officer, it_head):
    resolved(incident, officer)
    client.force_login(it_head)
    response = client.get(reverse("emergency:incident_action", args=[incident.pk, "file_report"]))
    assert response.status_code == 200
    draft = response.context["form"].initial["report"]
    assert "封存该工作站USB端口" in draft and "收回U盘并删除文件" in draft


def test_filing_the_report_through_the_page(client, incident, officer, it_head):
    resolved(incident, officer)
    client.force_login(it_head)
    url = reverse("emergency:incident_action", args=[incident.pk, "file_report"])
    assert client.post(url, {"report": ""}).status_code == 200  # the form says the report is required
    response = client.post(url, {"report": "整理所有相关数据后上报。"})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.state == SecurityIncident.State.REPORTED


def test_the_incident_report_pdf_carries_the_register_and_the_report(client, incident, officer, it_head, tmp_path):
    incident = services.take_step(
        resolved(incident, officer), "file_report", by=it_head, report="已整理全部相关数据并上报医院存档。"
    )
    client.force_login(it_head)
    response = client.get(reverse("emergency:incident_pdf", args=[incident.pk]))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "incident.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for expected in (
        "安全事件报告",
        incident.number,
        "数据泄露",
        "检验科LIS工作站",
        "封存该工作站USB端口",
        "已整理全部相关数据并上报医院存档",
        it_head.full_name,
        "2026-01-04",
    ):
        assert expected in text, (expected, text)
