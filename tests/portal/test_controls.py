"""A control is shown only to those who may use it (issue 13), checked over the demo hospital for every demo login.

A transition form page answers 200 exactly when the object's page shows its button, and a 新建 link is on a
list page (or in the navigation) exactly when its create page lets the user in.
"""

import io
import re
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_fsm import FSMField

from accounts.models import User
from portal.roles import Role
from portal.views.generic import TransitionView
from portal.workflow import refusal

pytestmark = pytest.mark.django_db

LOGINS = [role.value for role in Role]
MAX_STATES = 4  # states per model whose transition pages are opened by every login
APPS_WITH_TRANSITIONS = {"accounts", "backups", "disclosure", "emergency", "inspections", "inventory", "repairs"}
# A page → the create pages it links to, besides every ``<x>_list`` → ``<x>_create`` pair.
CREATE_LINKS = {
    "portal:dashboard": ["repairs:ticket_create"],  # the navigation's 报修 link
    "backups:board": ["backups:target_create"],
    "accounts:sensitive_query_log": ["accounts:sensitive_query_create"],
    "inventory:equipment_list": ["inventory:import_upload"],
    "inventory:import_list": ["inventory:import_upload"],
    "inspections:room_list": ["inspections:room_create"],
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, _suite_clock):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", force=True, stdout=io.StringIO())
        clients = {}
        for login in LOGINS:
            clients[login] = Client()
            clients[login].force_login(User.objects.get(username=login))
        yield clients
        transaction.set_rollback(True)


def _patterns(resolver=None, namespace=None):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver) and pattern.app_name != "admin":
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from _patterns(pattern, inner or None)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def _links_to(html, path):
    return re.search(rf'(href|action)="{re.escape(path)}[?"]', html) is not None


def _rows_with_actions(model):
    """One demo row for each of the first MAX_STATES states that some transition starts from."""
    field = next(f for f in model._meta.concrete_fields if isinstance(f, FSMField))
    rows = []
    for state in model._default_manager.order_by(field.name).values_list(field.name, flat=True).distinct():
        row = model._default_manager.filter(**{field.name: state}).order_by("pk").first()
        actions = [spec.name for spec in getattr(row, f"get_available_{field.name}_transitions")()]
        if actions:
            rows.append((row, actions))
    return rows[:MAX_STATES]


def test_a_transition_page_opens_exactly_for_those_who_may_act_and_only_they_see_its_button(demo):
    refused_unshown, opened_shown = defaultdict(int), defaultdict(int)
    mismatches = []
    for name, pattern in _patterns():
        view = getattr(pattern.callback, "view_class", None)
        if not (view and issubclass(view, TransitionView)):
            continue
        app = view.model._meta.app_label
        for obj, actions in _rows_with_actions(view.model):
            for login, client in demo.items():
                detail = client.get(obj.get_absolute_url())
                html = detail.content.decode() if detail.status_code == 200 else ""
                user = User.objects.get(username=login)
                for action in actions:
                    url = reverse(name, kwargs={"pk": obj.pk, "action": action})
                    status = client.get(url).status_code
                    if status == 404:  # out of scope, or an action another page serves
                        continue
                    may_act = detail.status_code == 200 and refusal(obj, action, user) is None
                    shown = _links_to(html, url)
                    if (status == 200) != may_act or (shown and status != 200):
                        mismatches.append((url, login, status, "may act" if may_act else "may not act", shown))
                    elif shown:
                        opened_shown[app] += 1
                    elif status == 403 and detail.status_code == 200:
                        refused_unshown[app] += 1
    assert mismatches == []
    assert set(refused_unshown) == APPS_WITH_TRANSITIONS, (refused_unshown, opened_shown)
    assert set(opened_shown) == APPS_WITH_TRANSITIONS, (refused_unshown, opened_shown)


def _create_links():
    names = dict(_patterns())
    pairs = {page: list(creates) for page, creates in CREATE_LINKS.items()}
    for name in names:
        create = name.removesuffix("_list") + "_create"
        if name.endswith("_list") and create in names and not names[create].pattern.converters:
            pairs.setdefault(name, []).append(create)
    return sorted((page, create) for page, creates in pairs.items() for create in set(creates))


@pytest.mark.parametrize(("page", "create"), _create_links())
def test_a_new_link_is_shown_exactly_to_those_its_page_lets_in(demo, page, create):
    create_path = reverse(create)
    seen = {}
    for login, client in demo.items():
        response = client.get(reverse(page))
        if response.status_code != 200:
            continue
        shown = _links_to(response.content.decode(), create_path)
        seen[login] = (shown, client.get(create_path).status_code)
    assert seen, f"no demo login opens {page}"
    assert {login: status for login, (shown, status) in seen.items() if shown != (status == 200)} == {}
