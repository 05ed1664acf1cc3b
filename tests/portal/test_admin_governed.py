"""The Django admin writes no governed record: a superuser's add, change, delete and revert are all refused (403)."""

import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import transaction
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import User
from backups.services import dba_handover_start
from portal.admin import GovernedRecordAdmin
from reports.periods import Kind, Period
from reports.services import report_request
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db  # also what makes pytest-django create the test database

# Every record a workflow or a service writes; removing GovernedRecordAdmin from any of them fails a test.
GOVERNED = [
    "accounts.grant",
    "accounts.recertificationcampaign",
    "accounts.sensitivequerylog",
    "accounts.rolechange",
    "backups.backuptarget",
    "backups.backuprun",
    "backups.verification",
    "backups.scripttoken",
    "backups.serveroperation",
    "backups.backupalert",
    "backups.backupmedium",
    "backups.custodyhandover",
    "backups.mediastocktake",
    "backups.dbahandover",
    "disclosure.disclosureitem",
    "disclosure.disclosurerequest",
    "emergency.drillrecord",
    "emergency.securityincident",
    "inspections.templateversion",
    "inspections.inspectionround",
    "inspections.missedinspection",
    "inspections.visit",
    "portal.taskrun",
    "portal.transitionlog",
    "repairs.repairticket",
    "repairs.escalation",
    "repairs.failurereport",
    "reports.reportarchive",
]
# The rows the demo makes, so that change, delete and revert are tried on a real row of each.
WITH_DEMO_ROWS = [
    "accounts.grant",
    "accounts.recertificationcampaign",
    "backups.backupmedium",
    "backups.serveroperation",
    "backups.custodyhandover",
    "backups.mediastocktake",
    "disclosure.disclosurerequest",
    "emergency.drillrecord",
    "emergency.securityincident",
    "inspections.missedinspection",
    "inspections.visit",
    "repairs.escalation",
    "reports.reportarchive",
    "accounts.sensitivequerylog",
    "accounts.rolechange",
    "backups.backuptarget",
    "backups.backuprun",
    "backups.verification",
    "backups.dbahandover",
    "disclosure.disclosureitem",
    "inspections.inspectionround",
    "portal.transitionlog",
    "repairs.repairticket",
]


def _model(label):
    return next(model for model in admin.site._registry if model._meta.label_lower == label)


def _url(model, page, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", force=True, stdout=io.StringIO())
        dba, it_head, leader = (User.objects.get(username=role) for role in ("dba", "it_head", "leader"))
        successor = UserFactory(roles=["dba"], department=dba.department)
        dba_handover_start(departing_dba=dba, successor=successor, by=it_head, plan_handed_over=True)
        report_request(period=Period.of(Kind.MONTHLY, 2025, 12), by=leader)  # queued: the rollback drops the task
        yield
        transaction.set_rollback(True)


@pytest.fixture
def sysadmin(demo):
    client = Client()
    client.force_login(User.objects.get(username="sysadmin"))
    return client


@pytest.mark.parametrize("label", GOVERNED)
def test_every_governed_record_uses_the_shared_read_only_admin(label):
    assert isinstance(admin.site._registry[_model(label)], GovernedRecordAdmin)


@pytest.mark.parametrize("label", GOVERNED)
def test_the_system_administrator_cannot_add_one(sysadmin, label):
    model = _model(label)
    before = model._base_manager.count()
    assert sysadmin.get(_url(model, "add")).status_code == 403
    assert sysadmin.post(_url(model, "add"), {"reason": "补录"}).status_code == 403
    assert model._base_manager.count() == before


@pytest.mark.parametrize("label", WITH_DEMO_ROWS)
def test_the_system_administrator_views_but_cannot_change_delete_or_revert_one(sysadmin, label):
    model = _model(label)
    row = model._base_manager.order_by("pk").first()
    assert row is not None, f"the demo makes no {label}"
    before = model_to_dict(row)
    change = _url(model, "change", row.pk)
    page = sysadmin.get(change)
    assert page.status_code == 200  # viewing is allowed
    assert 'name="_save"' not in page.content.decode()
    plain = (str, int, float, bool)
    posted = {**{key: value for key, value in before.items() if isinstance(value, plain)}, "_save": "1"}
    assert sysadmin.post(change, posted).status_code == 403
    assert sysadmin.get(_url(model, "delete", row.pk)).status_code == 403
    assert sysadmin.post(_url(model, "delete", row.pk), {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
    sysadmin.post(_url(model, "changelist"), bulk)
    if isinstance(admin.site._registry[model], SimpleHistoryAdmin):
        version = row.history.order_by("history_id").first()
        if version is not None:
            revert = reverse(
                f"admin:{model._meta.app_label}_{model._meta.model_name}_simple_history",
                args=[row.pk, version.history_id],
            )
            assert sysadmin.post(revert, posted).status_code == 403
    assert model_to_dict(model._base_manager.get(pk=row.pk)) == before


def test_roles_are_read_only_on_the_admin_user_form(sysadmin):
    staff = User.objects.get(username="staff")
    groups = set(staff.groups.values_list("pk", flat=True))
    page = sysadmin.get(_url(User, "change", staff.pk)).content.decode()
    assert 'name="groups"' not in page and 'name="is_superuser"' not in page
    data = {
        "username": "staff",
        "full_name": staff.full_name,
        "employee_no": staff.employee_no,
        "department": staff.department_id,
        "is_active": "on",
        "is_superuser": "on",
        "groups": [group.pk for group in type(staff.groups.first())._default_manager.all()],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
    }
    sysadmin.post(_url(User, "change", staff.pk), data)
    staff.refresh_from_db()
    assert set(staff.groups.values_list("pk", flat=True)) == groups
    assert not staff.is_superuser


def test_the_admin_user_form_requires_the_employee_number(sysadmin):
    data = {"username": "nobody", "password1": "Xq9-long-pass-2026", "password2": "Xq9-long-pass-2026"}
    data |= {"full_name": "无工号", "usable_password": "true"}
    response = sysadmin.post(_url(User, "add"), data)
    assert response.status_code == 200
    assert "工号" in response.content.decode()
    assert not User.objects.filter(username="nobody").exists()
