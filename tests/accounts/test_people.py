"""Person lists offer active people only, never django-guardian's anonymous user (issue 12)."""

import importlib

import django_filters
import pytest
from django.apps import apps
from django.urls import reverse
from guardian.utils import get_anonymous_user

from accounts.forms import DepartureForm, PermissionRequestForm, PrivilegedAccountForm
from accounts.models import User
from inventory.forms import IssueForm, StocktakeForm
from portal.people import people, people_with


@pytest.fixture
def anonymous(db):
    anonymous = get_anonymous_user()
    anonymous.full_name = ""
    anonymous.save()
    return anonymous


def test_people_excludes_the_anonymous_user_and_inactive_people(anonymous, make_user):
    present = make_user("dba", full_name="刘洋")
    gone = make_user("dba", full_name="离职人员", is_active=False)
    assert anonymous.is_active
    assert present in people() and present in people_with("dba")
    assert anonymous not in people() and gone not in people() and gone not in people_with("dba")


def test_backup_target_filter_offers_dbas_not_the_anonymous_user(client, anonymous, make_user):
    make_user("dba", full_name="刘洋")
    client.force_login(make_user("it_head"))
    text = client.get(reverse("backups:target_list")).content.decode()
    assert "刘洋" in text
    assert "AnonymousUser" not in text


def test_stocktake_custodian_field_offers_staff_not_the_anonymous_user(client, anonymous, make_user):
    make_user("staff", full_name="王小红")
    make_user("staff", full_name="已停用", is_active=False)
    client.force_login(make_user("it_officer"))
    text = client.get(reverse("inventory:stocktake_create")).content.decode()
    assert "王小红" in text
    assert "AnonymousUser" not in text
    assert "已停用" not in text


def _person_fields(fields):
    return [
        (name, field)
        for name, field in fields.items()
        if getattr(field, "queryset", None) is not None and field.queryset.model is User
    ]


def test_no_list_filter_offers_the_anonymous_user(anonymous):
    """Every person choice of every app's list filters, found by looking, so that a new filter is covered too."""
    checked = 0
    for app in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{app.name}.filters")
        except ModuleNotFoundError:
            continue
        for filterset in vars(module).values():
            if not (isinstance(filterset, type) and issubclass(filterset, django_filters.FilterSet)):
                continue
            if filterset._meta.model is None:
                continue
            for name, field in _person_fields(filterset().form.fields):
                assert anonymous not in field.queryset, f"{filterset.__name__}.{name}"
                checked += 1
    assert checked >= 4


@pytest.mark.parametrize(
    ("form", "kwargs"),
    [
        (DepartureForm, {}),
        (PrivilegedAccountForm, {}),
        (IssueForm, {}),
        (StocktakeForm, {}),
    ],
)
def test_person_fields_of_forms_leave_out_the_anonymous_user(anonymous, make_user, form, kwargs):
    make_user("it_officer")
    fields = _person_fields(form(**kwargs).fields)
    assert fields
    for name, field in fields:
        assert anonymous not in field.queryset, name


def test_department_head_files_for_active_colleagues_only(anonymous, make_user, department):
    head = make_user("dept_head")
    colleague = make_user("staff")
    gone = make_user("staff", is_active=False)
    offered = PermissionRequestForm(user=head).fields["subject"].queryset
    assert colleague in offered and gone not in offered
