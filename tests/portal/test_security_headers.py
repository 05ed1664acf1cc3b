"""Headers, error pages and deployment defaults (issue 13): what a browser, a ward terminal and an administrator meet."""

import re
import secrets
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from inventory import services
from inventory.models import Stocktake
from tests.portal.test_settings import _run

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']|javascript:""", re.IGNORECASE)


def _policy(response):
    return {
        directive.split()[0]: directive.split()[1:]
        for directive in response["Content-Security-Policy"].split(";")
        if directive.strip()
    }


def test_a_logged_in_page_has_the_policy_and_is_not_kept_by_the_browser(client, make_user):
    client.force_login(make_user("it_head"))
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_only_the_pages_that_read_qr_labels_may_use_the_camera(client, make_user):
    client.force_login(make_user("staff"))
    response = client.get(reverse("repairs:ticket_create"))
    assert response.status_code == 200
    assert "camera=(self)" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]


def test_the_stocktake_scan_page_may_use_the_camera_and_the_list_beside_it_may_not(client, make_user, department):
    officer = make_user("it_officer")
    stocktake = services.stocktake_open(scope=Stocktake.Scope.DEPARTMENT, department=department, by=officer)
    client.force_login(officer)
    scan = client.get(reverse("inventory:stocktake_scan", args=[stocktake.pk]))
    assert scan.status_code == 200
    assert "camera=(self)" in scan["Permissions-Policy"]
    assert "camera=()" in client.get(reverse("inventory:equipment_list"))["Permissions-Policy"]


def test_the_public_disclosure_page_has_the_policy_but_may_be_cached(client, db):
    response = client.get(reverse("public:index"))
    assert response.status_code == 200
    assert _policy(response)["script-src"] == ["'self'"]
    assert "no-store" not in response.get("Cache-Control", "")


def _template_files():
    roots = [Path(settings.BASE_DIR) / "templates"]
    roots += [path for path in Path(settings.BASE_DIR).glob("*/templates") if ".venv" not in path.parts]
    return sorted(path for root in roots for path in root.rglob("*.html"))


def test_no_template_holds_an_inline_script_or_event_handler():
    files = _template_files()
    assert len(files) > 50
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in files
        if INLINE_SCRIPT.search(path.read_text()) or INLINE_HANDLER.search(path.read_text())
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "url",
    ["/", "/reports/", "/inventory/equipment/new/", "/inventory/equipment/", "/repairs/tickets/new/", "/login/"],
)
def test_the_main_pages_render_without_inline_script(client, make_user, url):
    if url != "/login/":
        client.force_login(make_user("it_head", "it_officer", "staff"))
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert "<script" in html  # the page does use scripts, from files
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
    assert not INLINE_HANDLER.search(html)


def test_a_missing_page_answers_in_chinese(client, make_user):
    client.force_login(make_user("staff"))
    response = client.get("/inventory/no-such-page/")
    assert response.status_code == 404
    assert "未找到该页面或记录" in response.content.decode()


def test_a_forbidden_page_answers_in_chinese(client, make_user):
    client.force_login(make_user("staff"))
    response = client.get(reverse("inventory:equipment_create"))
    assert response.status_code == 403
    assert "您无权打开此页面" in response.content.decode()


def test_an_expired_form_says_so_in_chinese_instead_of_djangos_english_page(make_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user("staff"))
    response = browser.post(reverse("logout"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "表单已失效，未保存" in html
    assert "CSRF" not in html


def test_a_bad_host_header_answers_in_chinese(client, db):
    response = client.get("/login/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert "无法识别该请求" in response.content.decode()


def test_a_server_error_answers_in_chinese_without_the_traceback(client, make_user):
    client.raise_request_exception = False
    client.force_login(make_user("staff"))
    with mock.patch("portal.views.core.awaiting_for", side_effect=RuntimeError("boom in awaiting_for")):
        response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "平台处理时出错" in html
    assert "boom" not in html and "Traceback" not in html


def test_healthz_reports_the_cache(client, db):
    assert client.get("/healthz").json()["cache"] == "ok"
    with mock.patch("portal.views.core.cache.get", return_value=None):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"].startswith("down")


def test_behind_tls_pages_redirect_to_https_but_healthz_answers_plain_http(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    login = client.get("/login/")
    assert login.status_code == 301
    assert login["Location"].startswith("https://")
    health = client.get("/healthz")
    assert health.status_code in (200, 503)
    assert "database" in health.json()


def _compose_defaults():
    """The web service's environment as docker compose gives it when .env sets only SECRET_KEY."""
    text = (Path(settings.BASE_DIR) / "docker-compose.yml").read_text()
    block = text.split("environment: &portal-env\n", 1)[1].split("\n  volumes:", 1)[0]
    variables = {}
    for line in block.splitlines():
        if line.strip().startswith("#"):
            continue
        name, value = (part.strip() for part in line.split(":", 1))
        value = re.sub(r"\$\{SECRET_KEY:\?[^}]*\}", secrets.token_urlsafe(60), value)
        variables[name] = re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", value)
    return variables


def test_check_deploy_is_clean_with_the_compose_defaults():
    variables = _compose_defaults()
    assert variables["SECURE_SSL_REDIRECT"] == "true"
    result = _run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **variables)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
