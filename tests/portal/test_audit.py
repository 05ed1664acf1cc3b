"""The security audit log (issue 16, 等保 2.0 安全审计): every hook records, nothing edits, the purge keeps 180 days."""

import csv
import io
import json
import logging
import logging.handlers
import socketserver
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.conf import settings
from django.contrib import admin as django_admin
from django.core import checks
from django.test import Client
from django.urls import reverse

from accounts.models import Grant, InformationSystem
from accounts.services import grant_revoke, role_change
from portal import audit
from portal.admin import GovernedRecordAdmin
from portal.models import SecurityEvent
from portal.roles import Role
from portal.syslog import Rfc5424Formatter, SyslogHandler, handler_config
from tests.inventory.factories import EquipmentFactory
from tests.permissions import assert_permission_matrix

Kind = SecurityEvent.Kind
SHANGHAI = ZoneInfo("Asia/Shanghai")
PAGE = reverse("portal:security_events")
BROWSER = "Mozilla/5.0 (Windows NT 10.0) 病区终端"


def events(kind):
    return list(SecurityEvent.objects.filter(kind=kind).order_by("pk"))


def log_in(username, password="Demo-2026", client=None, address="10.1.2.3"):
    client = client or Client()
    client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address, HTTP_USER_AGENT=BROWSER)
    return client


@pytest.fixture
def auditor(make_user):
    return make_user("auditor", username="auditor", full_name="吴刚")


# --- hooks ---


def test_a_login_through_the_login_page_records_who_from_where_with_which_browser(make_user):
    user = make_user("staff", username="wang")
    log_in("wang")
    (event,) = events(Kind.LOGIN)
    assert (event.user, event.username, event.ip, event.user_agent, event.path) == (
        user,
        "wang",
        "10.1.2.3",
        BROWSER,
        "/login/",
    )


def test_a_failed_login_records_the_name_tried_even_of_nobody(make_user):
    make_user("staff", username="wang")
    log_in("wang", password="wrong")
    log_in("nobody", password="wrong")
    assert [(e.username, e.user, e.ip) for e in events(Kind.LOGIN_FAILED)] == [
        ("wang", None, "10.1.2.3"),
        ("nobody", None, "10.1.2.3"),
    ]
    assert not events(Kind.LOGIN)


def test_a_lockout_is_recorded_once(make_user):
    make_user("staff", username="wang")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in("wang", password="wrong")
    assert [event.username for event in events(Kind.LOCKOUT)] == ["wang"]


def test_a_logout_is_recorded(make_user):
    user = make_user("staff", username="wang")
    client = log_in("wang")
    client.post(reverse("logout"), HTTP_USER_AGENT=BROWSER)
    (event,) = events(Kind.LOGOUT)
    assert event.user == user and event.user_agent == BROWSER


def test_a_session_that_timed_out_is_recorded_once_when_its_cookie_comes_back(make_user):
    user = make_user("staff", username="wang")
    start = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
    with time_machine.travel(start, tick=False):
        client = log_in("wang")
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=settings.SESSION_IDLE_TIMEOUT_MINUTES - 1), tick=False):
        assert client.get("/").status_code == 200
    assert not events(Kind.SESSION_TIMEOUT)
    late = start + timedelta(minutes=2 * settings.SESSION_IDLE_TIMEOUT_MINUTES)
    with time_machine.travel(late, tick=False):
        assert client.get("/").status_code == 302
        client.get("/login/")
    (event,) = events(Kind.SESSION_TIMEOUT)
    assert event.user == user and event.at == late


def test_a_refusal_403_records_who_was_refused_which_path(client, make_user):
    staff = make_user("staff", username="wang")
    client.force_login(staff)
    assert client.get(PAGE).status_code == 403
    (event,) = events(Kind.FORBIDDEN)
    assert (event.user, event.what, event.path) == (staff, PAGE, PAGE)


def test_a_csrf_failure_is_a_refusal_too(make_user):
    make_user("staff", username="wang")
    Client(enforce_csrf_checks=True).post("/login/", {"username": "wang", "password": "Demo-2026"})
    (event,) = events(Kind.FORBIDDEN)
    assert event.what == "/login/" and event.detail["reason"] == "csrf"
    assert not events(Kind.LOGIN)


def test_a_pdf_download_records_what_and_by_whom(client, make_user, department):
    officer = make_user("it_officer")
    device = EquipmentFactory(status="in_use", department=department)
    client.force_login(officer)
    response = client.get(f"/inventory/equipment/labels/pdf/?pk={device.pk}")
    assert response.content.startswith(b"%PDF")
    (event,) = events(Kind.DOWNLOAD)
    assert (event.user, event.what, event.detail) == (officer, "asset-labels.pdf", {"format": "pdf"})


def test_an_export_records_the_list_format_and_rows(client, make_user, department):
    officer = make_user("it_officer")
    EquipmentFactory(status="in_use", department=department)
    client.force_login(officer)
    client.get("/inventory/equipment/?status=in_use&export=csv")
    (event,) = events(Kind.EXPORT)
    assert event.user == officer and event.detail == {"format": "csv", "rows": 1}
    assert event.path == "/inventory/equipment/?status=in_use&export=csv"


def test_a_role_change_is_recorded_with_who_gave_what_to_whom(make_user):
    head = make_user("it_head", username="chen")
    staff = make_user("staff", username="wang")
    role_change(user=staff, role=Role.SECRECY_REVIEWER, give=True, reason="兼任保密审查", by=head)
    (event,) = events(Kind.ROLE_CHANGE)
    assert event.user == head
    assert event.detail == {"subject": "wang", "role": "secrecy_reviewer", "change": "given", "reason": "兼任保密审查"}


def test_revoking_a_grant_is_recorded_as_a_permission_change(make_user):
    officer = make_user("it_officer")
    staff = make_user("staff", username="wang")
    system = InformationSystem.objects.create(code="TSTX", name="审计测试系统", tier=1)
    grant = Grant.objects.create(user=staff, system=system, account_name="wang01")
    grant_revoke(grant=grant, by=officer, comment="离岗")
    (event,) = events(Kind.PERMISSION_CHANGE)
    assert (event.user, event.what, event.detail["change"], event.detail["account"]) == (
        officer,
        "wang @ TSTX",
        "revoked",
        "wang01",
    )


def test_an_admin_change_is_recorded(make_user):
    admin = make_user(is_superuser=True, is_staff=True, username="sysadmin")
    client = Client()
    client.force_login(admin)
    response = client.post(
        reverse("admin:portal_calendarday_add"), {"date": "2026-10-08", "is_workday": "on", "name": "调休"}
    )
    assert response.status_code == 302
    (event,) = events(Kind.ADMIN_CHANGE)
    assert event.user == admin and event.what == "portal.calendarday: 2026-10-08 调休"
    assert event.detail["action"] == "add"


def test_directory_sync_and_second_factor_call_the_same_one_line_api(make_user):
    user = make_user("staff", username="wang")
    audit.record(Kind.DIRECTORY_SYNC, what="wang", detail={"department": "内科→外科"})
    audit.record(Kind.SECOND_FACTOR_RESET, user=user, what="TOTP")
    assert [(e.kind, e.username, e.ip) for e in SecurityEvent.objects.order_by("pk")] == [
        (Kind.DIRECTORY_SYNC, "", None),
        (Kind.SECOND_FACTOR_RESET, "wang", None),
    ]


# --- append-only and retention ---


def test_nobody_edits_or_deletes_an_event_through_the_orm(make_user):
    event = audit.record(Kind.LOGIN, user=make_user("staff"))
    event.what = "改写"
    for attempt in (
        event.save,
        event.delete,
        lambda: SecurityEvent.objects.create(kind=Kind.LOGIN),
        lambda: SecurityEvent.objects.bulk_create([SecurityEvent(kind=Kind.LOGIN)]),
        lambda: SecurityEvent.objects.filter(pk=event.pk).update(what="改写"),
        lambda: SecurityEvent.objects.all().delete(),
    ):
        with pytest.raises(ValueError, match="append-only"):
            attempt()
    assert SecurityEvent.objects.get().what == ""


def test_the_admin_shows_events_but_adds_changes_and_deletes_none(admin_client, make_user):
    event = audit.record(Kind.LOGIN, user=make_user("staff"))
    assert admin_client.get(reverse("admin:portal_securityevent_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:portal_securityevent_add")).status_code == 403
    assert (
        admin_client.post(reverse("admin:portal_securityevent_delete", args=[event.pk]), {"post": "yes"}).status_code
        == 403
    )
    change = reverse("admin:portal_securityevent_change", args=[event.pk])
    assert admin_client.post(change, {"what": "改写"}).status_code == 403
    assert SecurityEvent.objects.get(pk=event.pk).what == ""
    # The shared read-only admin (its refusals above are themselves events, so this log is not in its generic test).
    assert isinstance(django_admin.site._registry[SecurityEvent], GovernedRecordAdmin)


def test_deleting_a_user_keeps_their_name_on_their_events(make_user):
    user = make_user("staff", username="leaver")
    audit.record(Kind.LOGIN, user=user)
    user.delete()
    event = SecurityEvent.objects.get()
    assert (event.user, event.username) == (None, "leaver")


@pytest.mark.parametrize("setting", [180, 30])
def test_the_purge_deletes_only_what_is_older_than_the_retention_and_never_under_180_days(settings, db, setting):
    settings.AUDIT_RETENTION_DAYS = setting
    now = datetime(2026, 9, 1, 3, 10, tzinfo=SHANGHAI)
    for days in (181, 179, 31, 1):
        with time_machine.travel(now - timedelta(days=days), tick=False):
            audit.record(Kind.LOGIN_FAILED, username=f"{days}")
    assert audit.security_events_purge(now=now) == 1
    assert sorted(SecurityEvent.objects.values_list("username", flat=True)) == ["1", "179", "31"]


def test_a_longer_retention_keeps_more(settings, db):
    settings.AUDIT_RETENTION_DAYS = 400
    now = datetime(2026, 9, 1, 3, 10, tzinfo=SHANGHAI)
    with time_machine.travel(now - timedelta(days=300), tick=False):
        audit.record(Kind.LOGIN_FAILED, username="old")
    assert audit.security_events_purge(now=now) == 0


def test_a_retention_under_180_days_warns_at_startup(settings):
    settings.AUDIT_RETENTION_DAYS = 90
    assert [warning.id for warning in audit.check_retention()] == ["portal.W001"]
    settings.AUDIT_RETENTION_DAYS = 180
    assert audit.check_retention() == []
    assert audit.check_retention in checks.registry.registry.get_checks()


def test_the_purge_runs_nightly_from_beat(settings, db):
    task = "portal.tasks.purge_security_events"
    assert any(entry["task"] == task for entry in settings.CELERY_BEAT_SCHEDULE.values())
    from portal.tasks import purge_security_events

    assert purge_security_events.delay().get() == 0


# --- the auditor's page ---


def test_the_auditor_and_the_it_head_read_the_log_and_nobody_else(client, auditor, make_user):
    assert_permission_matrix(
        client,
        PAGE,
        allowed=[auditor, make_user("it_head")],
        forbidden=[make_user("staff"), make_user("it_officer"), make_user("leader"), make_user("dba")],
    )


def test_the_nav_shows_the_log_to_its_readers_only(client, auditor, make_user):
    client.force_login(auditor)
    assert PAGE in client.get("/").content.decode()
    client.force_login(make_user("it_officer"))
    assert PAGE not in client.get("/").content.decode()


def _seed(make_user):
    wang = make_user("staff", username="wang", full_name="王小红")
    li = make_user("staff", username="li", full_name="李明")
    for at, kind, user in (
        (datetime(2026, 3, 1, 23, 59, tzinfo=SHANGHAI), Kind.LOGIN, wang),
        (datetime(2026, 3, 2, 0, 0, tzinfo=SHANGHAI), Kind.LOGIN_FAILED, wang),
        (datetime(2026, 3, 2, 23, 59, tzinfo=SHANGHAI), Kind.LOGIN, li),
        (datetime(2026, 3, 3, 0, 0, tzinfo=SHANGHAI), Kind.LOGOUT, li),
    ):
        with time_machine.travel(at, tick=False):
            audit.record(kind, user=user, what=f"{user.username}-{kind}")


def _listed(client, query):
    response = client.get(PAGE, query)
    assert response.status_code == 200
    return [row.record.what for row in response.context["table"].page.object_list]


def test_the_page_filters_by_person_kind_and_days(client, auditor, make_user):
    _seed(make_user)
    client.force_login(auditor)
    assert _listed(client, {"person": "王小红"}) == ["wang-login_failed", "wang-login"]
    assert _listed(client, {"person": "li"}) == ["li-logout", "li-login"]
    # The auditor's own login (force_login) is an event too, on the suite's January clock.
    assert _listed(client, {"kind": "login", "since": "2026-03-01"}) == ["li-login", "wang-login"]
    assert _listed(client, {"since": "2026-03-02", "until": "2026-03-02"}) == ["li-login", "wang-login_failed"]


def test_the_list_costs_the_same_queries_for_many_events(client, auditor, make_user, django_assert_max_num_queries):
    _seed(make_user)
    for index in range(30):
        audit.record(Kind.LOGIN, user=make_user("staff"), what=str(index))
    client.force_login(auditor)
    with django_assert_max_num_queries(12):
        assert client.get(PAGE).status_code == 200


def test_the_export_holds_the_filtered_events_and_is_itself_recorded(client, auditor, make_user):
    _seed(make_user)
    client.force_login(auditor)
    response = client.get(PAGE, {"person": "wang", "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["时间", "事件", "用户名"]
    assert [row[5] for row in rows[1:]] == ["wang-login_failed", "wang-login"]
    response = client.get(PAGE, {"kind": "logout", "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 2 and sheet.cell(2, 6).value == "li-logout"
    assert [(e.user, e.what, e.detail["format"]) for e in events(Kind.EXPORT)] == [
        (auditor, "security-audit-log", "csv"),
        (auditor, "security-audit-log", "xlsx"),
    ]


# --- syslog ---


class _Datagrams(socketserver.BaseRequestHandler):
    def handle(self):
        self.server.received.append(self.request[0])


def test_each_event_goes_to_syslog_as_one_rfc_5424_datagram(make_user, django_capture_on_commit_callbacks):
    server = socketserver.UDPServer(("127.0.0.1", 0), _Datagrams)
    server.received = []
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    handler = SyslogHandler(address=server.server_address, facility="local0")
    handler.setFormatter(Rfc5424Formatter())
    logger = logging.getLogger("portal.audit")
    logger.addHandler(handler)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            audit.record(Kind.LOGIN_FAILED, username="王五")
        thread.join(timeout=5)
    finally:
        logger.removeHandler(handler)
        handler.close()
        server.server_close()
    (datagram,) = server.received
    header, _bom, message = datagram.decode("utf-8").partition("\ufeff")
    start, timestamp, host, app, procid, msgid, structured = header.rstrip(" ").split(" ")
    assert start == "<134>1"  # PRI local0 (16) * 8 + info (6), then version 1
    assert timestamp.endswith("Z") and app == "it-portal" and procid.isdigit() and msgid == "login_failed"
    assert structured == "-" and host
    assert json.loads(message)["user"] == "王五" and not datagram.endswith(b"\x00")


def test_syslog_is_off_unless_an_address_is_set():
    assert settings.AUDIT_SYSLOG_ADDRESS == ""
    logger = logging.getLogger("portal.audit")
    assert not logger.propagate and not any(isinstance(h, logging.handlers.SysLogHandler) for h in logger.handlers)


def test_the_syslog_address_is_host_port_or_a_socket_path():
    assert handler_config("10.0.0.9:5514", "local3")["address"] == ("10.0.0.9", 5514)
    assert handler_config("loghost", "local3")["address"] == ("loghost", 514)
    assert handler_config("/dev/log", "local3")["address"] == "/dev/log"
