"""Every page opens, for each role, and nothing leaks (issue 13): a crawl of the URL conf over the demo hospital.

The demo data is loaded once for the module; every GET page of every app is opened as each demo login and
anonymously, with its ``<pk>``-like arguments filled from the demo rows. Then each department-bound object is
moved to 外科 and opened again as the 内科 staff member and head: they must get 404. Run with ``-s`` for the figures.
"""

import io
import logging
import re
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Department, User
from backups.services import dba_handover_start
from disclosure.models import DisclosureItem
from inspections.models import RoundResult
from inventory.models import EquipmentImport
from portal.roles import Role
from reports.periods import Kind, Period
from reports.services import report_request
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db  # also what makes pytest-django create the test database

ANONYMOUS = "anonymous"
LOGINS = [role.value for role in Role]
VIEWERS_OF_NEIKE = (Role.STAFF.value, Role.DEPT_HEAD.value)  # the demo's 内科 logins
# Pages for everyone, logged in or not (the language switch also works on the login page).
PUBLIC_PAGES = {"login", "healthz", "set_language", "public:index", "public:item", "public:feed"}
# Downloads are files, not pages: opened only by the tests that check their content.
DOWNLOADS = re.compile(r"pdf|attachment|import_template|reports:export")
# Views whose pk names another model than the view's own (or a view with no model).
PK_MODELS = {
    "portal:notification_open": "portal.Notification",
    "inventory:change_create": "inventory.Equipment",
    "inventory:import_progress": "inventory.EquipmentImport",
    "inspections:round_fill": "inspections.InspectionRound",
    "inspections:round_correct": "inspections.InspectionRound",
    "inspections:template_edit": "inspections.InspectionTemplate",
    "reports:archive_detail": "reports.ReportArchive",
    "reports:archive_progress": "reports.ReportArchive",
}
PK_ROWS = {
    "public:item": lambda: DisclosureItem.objects.filter(first_published_at__isnull=False),
    "inspections:abnormality_detail": lambda: RoundResult.objects.filter(is_abnormal=True),
}
OTHER_KWARGS = {
    "template_pk": lambda: apps.get_model("inspections.InspectionTemplate").objects.order_by("pk").first(),
    "room_pk": lambda: apps.get_model("inspections.MachineRoom").objects.order_by("pk").first(),
}


@dataclass
class Crawl:
    statuses: dict = field(default_factory=dict)  # (url name, url, login) -> status
    to_login: set = field(default_factory=set)  # urls that sent anonymous to the login page
    errors: dict = field(default_factory=dict)  # (url name, url, login) -> the exception
    unfilled: list = field(default_factory=list)  # url names no demo row could fill
    leaks: list = field(default_factory=list)  # (url, login, status) of a 外科 object shown to 内科
    hidden: int = 0
    seconds: float = 0.0  # CPU time of the crawl
    seed_seconds: float = 0.0  # CPU time of seed_demo and the rows it lacks

    def allowed(self, login):
        return {name for (name, _url, who), status in self.statuses.items() if who == login and status == 200}


def _patterns(resolver=None, namespace=None):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from _patterns(pattern, inner or None)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def _answers_get(pattern):
    view = getattr(pattern.callback, "view_class", None)
    return view is None or hasattr(view, "get")


def _model_of(name, pattern):
    if name in PK_MODELS:
        return apps.get_model(PK_MODELS[name])
    view = getattr(pattern.callback, "view_class", None)
    model = getattr(view, "model", None)
    if model is None and getattr(view, "queryset", None) is not None:
        model = view.queryset.model
    return model


def _department_fields(model):
    return [f for f in model._meta.concrete_fields if f.many_to_one and f.related_model is Department]


def _demo_object(model):
    """A row 内科 owns where the model belongs to departments, so its staff have something of their own."""
    rows = model._default_manager.order_by("pk")
    if model is User:  # not one of the logins themselves: their own page is always theirs
        rows = rows.filter(department__code="NK").exclude(username__in=LOGINS)
    for department_field in _department_fields(model):
        own = rows.filter(**{f"{department_field.name}__code": "NK"})
        if own.exists():
            return own.first()
    return rows.first()


def _fill(name, pattern, objects):
    """The kwargs of one pattern from demo rows; None when a row is missing."""
    kwargs = {}
    for key in pattern.pattern.converters:
        if key == "pk" and name in PK_ROWS:
            obj = PK_ROWS[name]().order_by("pk").first()
        elif key == "pk":
            model = _model_of(name, pattern)
            obj = objects.setdefault(model, _demo_object(model)) if model else None
        elif key in OTHER_KWARGS:
            obj = OTHER_KWARGS[key]()
        elif key == "asset_no":
            obj = apps.get_model("inventory.Equipment").objects.order_by("pk").first()
            obj = obj and obj.asset_no
        elif key == "action":
            continue  # one page per action: see _actions
        else:
            obj = None
        if obj is None:
            return None
        kwargs[key] = obj if isinstance(obj, str) else obj.pk
    return kwargs


def _with_actions(pattern, kwargs):
    """A transition page once per action that takes a form (shown on GET), else for its first transition."""
    if "action" not in pattern.pattern.converters:
        return [kwargs]
    view = pattern.callback.view_class
    actions = list(getattr(view, "forms", {}))
    if not actions:
        obj = view.model._default_manager.get(pk=kwargs["pk"])
        actions = [spec.name for spec in obj.get_all_state_transitions()][:1]
    return [{**kwargs, "action": action} for action in actions]


def _get(client, url):
    """One GET inside a savepoint that is always rolled back: a page that writes (read marks, sessions) leaves no trace."""
    with transaction.atomic():
        try:
            response = client.get(url)
        finally:
            transaction.set_rollback(True)
    return response


def _move_to_waike(obj, waike, outsider, insiders):
    """The object now belongs to 外科: its departments are 外科, and its 内科 people are a 外科 staff member."""
    updates = {f.name: waike for f in _department_fields(type(obj))}
    for f in type(obj)._meta.concrete_fields:
        if f.many_to_one and f.related_model is User and getattr(obj, f.attname) in insiders:
            updates[f.name] = outsider
    if updates:
        type(obj)._base_manager.filter(pk=obj.pk).update(**updates)
    return bool(_department_fields(type(obj)))


@pytest.fixture(scope="module")
def crawl(django_db_setup, django_db_blocker, _suite_clock):
    with django_db_blocker.unblock(), transaction.atomic():
        seeding = time.process_time()
        call_command("seed_demo", force=True, stdout=io.StringIO())
        _complete_the_demo()
        started = time.process_time()
        with _quiet(logging.getLogger("django.request")), _quiet(logging.getLogger("axes")):
            result = _crawl()
        result.seconds = time.process_time() - started
        result.seed_seconds = started - seeding
        yield result
        transaction.set_rollback(True)


def _complete_the_demo():
    """The rows the demo does not make, made the way the portal makes them, so that every page has one."""
    dba, it_head, officer, leader = (
        User.objects.get(username=role) for role in ("dba", "it_head", "it_officer", "leader")
    )
    successor = UserFactory(roles=["dba"], department=dba.department, full_name="王磊")
    dba_handover_start(departing_dba=dba, successor=successor, by=it_head, plan_handed_over=True)
    EquipmentImport.objects.create(file_name="设备台账.csv", uploaded_by=officer, headers=["资产编号", "类别"])
    report_request(period=Period.of(Kind.MONTHLY, 2025, 12), by=leader)  # queued: the rollback drops the task


@contextmanager
def _quiet(logger):
    """A 403, a 404 or a login is what the crawl expects: not a line each on the console."""
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _clients():
    clients = {ANONYMOUS: Client(raise_request_exception=False)}
    for login in LOGINS:
        clients[login] = Client(raise_request_exception=False)
        clients[login].force_login(User.objects.get(username=login))
    return clients


def _crawl():
    result = Crawl()
    clients = _clients()
    objects = {}
    pages = []
    for name, pattern in _patterns():
        if DOWNLOADS.search(f"{name} {pattern.pattern}") or not _answers_get(pattern):
            continue
        kwargs = _fill(name, pattern, objects)
        if kwargs is None:
            result.unfilled.append(name)
            continue
        for page_kwargs in _with_actions(pattern, kwargs):
            url = reverse(name, kwargs=page_kwargs)
            pages.append((name, url, page_kwargs, _model_of(name, pattern)))
            for login, client in clients.items():
                response = _get(client, url)
                result.statuses[name, url, login] = response.status_code
                if login == ANONYMOUS and response.get("Location", "").startswith(resolve_url(settings.LOGIN_URL)):
                    result.to_login.add(url)
                if response.status_code == 500:
                    result.errors[name, url, login] = response.exc_info[1]
    _probe_leaks(result, clients, pages)
    return result


def _probe_leaks(result, clients, pages):
    waike = Department.objects.get(code="WK")
    # A 外科 member of staff who holds nothing yet, so that taking over a row breaks no one-per-person rule.
    outsider = UserFactory(roles=["staff"], department=waike, full_name="外科新职工")
    insiders = set(User.objects.filter(department__code="NK").values_list("pk", flat=True))
    for name, url, kwargs, model in pages:
        if "pk" not in kwargs or name in PUBLIC_PAGES:
            continue
        with transaction.atomic():
            obj = model._base_manager.get(pk=kwargs["pk"])
            if _move_to_waike(obj, waike, outsider, insiders):
                for login in VIEWERS_OF_NEIKE:
                    status = _get(clients[login], url).status_code
                    result.hidden += status == 404
                    if status == 200:
                        result.leaks.append((url, login, status))
            transaction.set_rollback(True)


def test_print_the_figures(crawl):
    statuses = Counter(crawl.statuses.values())
    print(
        f"\ncrawl: {len({url for _n, url, _l in crawl.statuses})} pages × {len(LOGINS) + 1} logins = "
        f"{len(crawl.statuses)} requests in {crawl.seconds:.1f} s CPU (demo seeded in {crawl.seed_seconds:.1f} s); statuses {dict(sorted(statuses.items()))}; "
        f"500s {len(crawl.errors)}; 外科 objects hidden from 内科 {crawl.hidden}, leaks {len(crawl.leaks)}; "
        f"unfilled {crawl.unfilled}"
    )
    assert crawl.statuses


def test_no_page_answers_500_to_anyone(crawl):
    assert not crawl.errors, "\n".join(f"{login} {url}: {exc!r}" for (_n, url, login), exc in crawl.errors.items())


def test_every_demo_row_fills_its_pages(crawl):
    assert crawl.unfilled == []


def _post_only(crawl):
    """Names whose every logged-in GET is 405: buttons (mark read, log out, generate), not pages."""
    answers = {}
    for (name, _url, login), status in crawl.statuses.items():
        if login != ANONYMOUS:
            answers.setdefault(name, set()).add(status)
    return {name for name, statuses in answers.items() if statuses == {405}}


def test_anonymous_is_sent_to_login_except_on_public_pages(crawl):
    post_only = _post_only(crawl)
    assert {"logout", "reports:generate", "portal:notifications_read_all"} <= post_only
    for (name, url, login), status in crawl.statuses.items():
        if login != ANONYMOUS:
            continue
        if name in PUBLIC_PAGES:
            assert url not in crawl.to_login, url
            assert status in (200, 302, 503), f"anonymous {url}: {status}"  # 503: /healthz names the broker it lacks
        elif name in post_only:
            assert url in crawl.to_login or status == 405, f"anonymous {url}: {status}"
        else:
            assert url in crawl.to_login, f"anonymous {url}: {status}"


def test_every_detail_page_opens_for_some_role(crawl):
    details = {name for name, _pattern in _patterns() if name.endswith("_detail") or name == "public:item"}
    opened = set().union(*(crawl.allowed(login) for login in LOGINS))
    assert len(details) > 30
    assert details - opened == set()


def test_each_role_reaches_its_own_pages_and_not_others(crawl):
    for login in LOGINS:
        assert {
            "portal:dashboard",
            "portal:notifications",
            "password_change",
            "repairs:ticket_create",
        } <= crawl.allowed(login), login
    it_registers = re.compile(r"^(inventory|inspections|backups):")
    for login in (Role.STAFF, Role.DEPT_HEAD, Role.SECRECY_REVIEWER, Role.HR):
        assert not {n for n in crawl.allowed(login) if it_registers.match(n) and not n.startswith("inventory:")}, login
    # The auditor reads; nothing in the IT registers or the disclosure items is created or edited by them.
    assert not {
        n
        for n in crawl.allowed(Role.AUDITOR)
        if re.match(r"^(inventory|inspections|backups|disclosure):.*_(create|edit)$", n)
    }
    ledger_pages = {name for name, _url, _login in crawl.statuses if re.match(r"^inventory:.*_(list|detail)$", name)}
    assert ledger_pages - crawl.allowed(Role.IT_OFFICER) == set()
    assert crawl.allowed(Role.HR) >= {"accounts:departure_create", "accounts:departure_detail"}
    assert [login for login in LOGINS if "accounts:departure_create" in crawl.allowed(login)] == [Role.HR]


def test_no_department_object_of_waike_is_shown_to_neike(crawl):
    assert crawl.hidden > 50
    assert crawl.leaks == []


def test_user_page_keeps_the_viewer_in_the_navbar(client, make_user):
    viewer = make_user("it_officer", full_name="张伟")
    viewed = make_user("staff", full_name="王小红")
    client.force_login(viewer)
    page = client.get(viewed.get_absolute_url()).content.decode()
    assert '<i class="bi bi-person-circle"></i> 张伟</a>' in page
    assert f'<a class="dropdown-item" href="{viewer.get_absolute_url()}">个人信息</a>' in page
    assert "王小红" in page and '<i class="bi bi-person-circle"></i> 王小红' not in page
