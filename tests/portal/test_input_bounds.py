"""Every value a person types is bounded (issue 13): plausible dates, readable texts, on every form of the portal.

The forms are collected from each app's forms module, so a form added later without ``BoundedForm`` fails here.
Then a few pages prove the bounds where a person meets them: the field's message, the browser's attributes,
the transition comment, the backup script's endpoint, and pages that still open over an odd stored date.
"""

import datetime
import importlib
import inspect
import json

import pytest
import time_machine
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import PrivilegedAccount, SensitiveQueryLog, SensitiveQueryRequest
from backups import services as backup_services
from backups.models import BackupRun, BackupTarget, ServerOperation
from portal.forms import (
    COMMENT_LENGTH,
    DESCRIPTION_LENGTH,
    DESCRIPTION_NAMES,
    BoundedForm,
    BoundedInput,
    BoundedModelForm,
)

FORM_MODULES = [
    "accounts.forms",
    "backups.forms",
    "disclosure.forms",
    "emergency.forms",
    "inspections.forms",
    "inventory.forms",
    "repairs.forms",
    "reports.forms",
    "portal.forms",
]
BASES = (BoundedForm, BoundedModelForm)
TODAY = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def _form_classes():
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name and cls not in BASES:
                yield pytest.param(cls, id=f"{module_name}.{name}")


FORM_CLASSES = list(_form_classes())


def _refusals(cls, values):
    """What each field of the form says to ``values``: {name: [(code, message)]}, field by field as the form checks it.

    The form is built with its bounds but without the app's own ``__init__`` (querysets, the user, the object).
    """
    form = cls.__new__(cls)
    BoundedInput.__init__(form)
    refusals = {}
    with translation.override("zh-hans"):
        for name, value in values.items():
            try:
                form.fields[name].clean(value)
            except ValidationError as error:
                refusals[name] = [(item.code, str(item.messages[0])) for item in error.error_list]
    return refusals


def _temporal(cls):
    return {
        name: field
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.DateField | forms.DateTimeField)
    }


def _free_texts(cls):
    return {
        name: field
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.CharField) and not isinstance(field, forms.JSONField) and field.max_length is None
    }


def _typed(field, day):
    return f"{day}T00:00" if isinstance(field, forms.DateTimeField) else day


def test_the_collection_holds_the_forms_with_dates_and_texts():
    assert len(FORM_CLASSES) > 60
    assert sum(bool(_temporal(param.values[0])) for param in FORM_CLASSES) >= 20
    assert sum(bool(_free_texts(param.values[0])) for param in FORM_CLASSES) >= 40


@pytest.mark.parametrize("cls", FORM_CLASSES)
def test_every_form_is_bounded(cls):
    assert issubclass(cls, BoundedInput), f"{cls.__name__} must derive from portal.forms.BoundedForm"


@pytest.mark.django_db
@pytest.mark.parametrize("cls", FORM_CLASSES)
def test_dates_refuse_year_one_and_year_9999_with_a_message_at_the_field(cls):
    fields = _temporal(cls)
    for odd in ("0001-01-01", "9999-12-31"):
        refusals = _refusals(cls, {name: _typed(field, odd) for name, field in fields.items()})
        for name in fields:
            assert [code for code, _message in refusals.get(name, [])] == ["implausible_date"], (name, odd)
            assert refusals[name][0][1].startswith("请填写 2000-01-01 至"), name
    today = timezone.localdate().isoformat()
    assert not _refusals(cls, {name: _typed(field, today) for name, field in fields.items()})


@pytest.mark.django_db
@pytest.mark.parametrize("cls", FORM_CLASSES)
def test_free_texts_refuse_one_character_more_than_their_limit(cls):
    limits = {name: DESCRIPTION_LENGTH if name in DESCRIPTION_NAMES else COMMENT_LENGTH for name in _free_texts(cls)}
    if issubclass(cls, AuthenticationForm):
        limits["username"] = 150  # Django's own form bounds it to the user model's field
    refusals = _refusals(cls, {name: "字" * (limit + 1) for name, limit in limits.items()})
    for name, limit in limits.items():
        assert ("max_length", f"确保该变量包含不超过 {limit} 字符 (目前字符数 {limit + 1})。") in refusals.get(
            name, []
        ), name
    refusals = _refusals(cls, {name: "字" * limit for name, limit in limits.items()})
    assert not any(code == "max_length" for errors in refusals.values() for code, _message in errors)


@pytest.fixture
def officer(make_user):
    return make_user("it_officer", full_name="张伟")


@pytest.fixture
def dba(make_user):
    return make_user("dba", full_name="刘洋")


def test_a_query_time_in_year_one_is_refused_next_to_the_field_and_not_stored(client, officer):
    client.force_login(officer)
    page = client.get(reverse("accounts:sensitive_query_create")).content.decode()
    assert 'min="2000-01-01T00:00"' in page and 'max="2036-01-05T23:59"' in page
    data = {"computer_no": "XXK-02", "operator_code": "1802", "run_at": "0001-01-01T00:00", "scope": "按科室"}
    response = client.post(reverse("accounts:sensitive_query_create"), data)
    assert response.status_code == 200
    assert "请填写 2000-01-01 至" in response.content.decode()
    assert not SensitiveQueryLog.objects.exists()


@time_machine.travel(TODAY, tick=False)
@pytest.mark.django_db
def test_narrower_ranges_where_the_domain_says():
    """A password change or a stocktake is not in the future, a visit is for today or tomorrow; others ten years."""
    from accounts.forms import RotationForm
    from backups.forms import StocktakeForm
    from inspections.forms import VisitForm
    from repairs.forms import LendSpareForm

    tomorrow, day_after = "2026-03-11", "2026-03-12"
    with translation.override("zh-hans"):
        assert "至 2026-03-10 之间" in RotationForm({"changed_on": tomorrow}).errors["changed_on"][0]
        assert "至 2026-03-10 之间" in StocktakeForm({"counted_on": tomorrow}).errors["counted_on"][0]
        assert "至 2026-03-11 之间" in VisitForm({"visit_date": day_after}).errors["visit_date"][0]
        assert "visit_date" not in VisitForm({"visit_date": tomorrow}).errors
        assert "至 2036-03-10 之间" in LendSpareForm({"expected_return": "2036-03-11"}).errors["expected_return"][0]
        assert "expected_return" not in LendSpareForm({"expected_return": "2036-03-10"}).errors


def test_a_5_mb_transition_comment_is_refused_and_2000_characters_pass(client, make_user):
    from inspections.models import MachineRoom, Visit

    officer, head = make_user("it_officer"), make_user("it_head")
    room = MachineRoom.objects.create(name="中心机房", location="行政楼 3 楼")
    visit = Visit.objects.create(
        room=room, visit_date=timezone.localdate(), visitor_name="周工", organisation="维保", purpose="年检",
        requested_by=officer,
    )  # fmt: skip
    client.force_login(head)
    url = reverse("inspections:visit_action", args=[visit.pk, "approve"])
    assert 'maxlength="2000"' in client.get(url).content.decode()
    response = client.post(url, {"comment": "长" * (5 * 1024 * 1024)})
    assert response.status_code == 200
    assert "不超过 2000 字符" in response.content.decode()
    visit.refresh_from_db()
    assert visit.state == Visit.State.REQUESTED
    assert client.post(url, {"comment": "长" * 2000}).status_code == 302
    visit.refresh_from_db()
    assert visit.state == Visit.State.APPROVED


def test_the_script_endpoint_refuses_an_implausible_time_with_400(client, dba):
    target = BackupTarget.objects.create(code="HIS", name="HIS 数据库", responsible_dba=dba)
    _token, raw = backup_services.script_token_issue(target=target, label="db01", by=dba)
    url = reverse("backups:api_runs")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    now = timezone.now()
    for started_at in ("0001-01-01T00:00:00+00:00", "9999-12-31T23:59:00+08:00"):
        body = {"status": "success", "started_at": started_at, "finished_at": now.isoformat()}
        with translation.override("zh-hans"):
            response = client.post(url, json.dumps(body), content_type="application/json", **headers)
        assert response.status_code == 400
        assert response.json()["error"].startswith("started_at: 请填写 2000-01-01 至")
    body = {"started_at": now.isoformat(), "finished_at": now.isoformat(), "error": "x" * (DESCRIPTION_LENGTH + 1)}
    response = client.post(url, json.dumps(body), content_type="application/json", **headers)
    assert response.status_code == 400
    assert not BackupRun.objects.exists()
    body["error"] = ""
    assert client.post(url, json.dumps(body), content_type="application/json", **headers).status_code == 201


@pytest.mark.django_db
def test_pages_open_over_a_date_stored_in_year_one(client, settings):
    import io

    from django.core.management import call_command

    from accounts.models import User
    from inventory.models import ConfigChange, Equipment

    settings.DEBUG = True  # the demo loads only in DEBUG
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    odd = datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)
    SensitiveQueryLog.objects.update(run_at=odd, recorded_at=odd)
    SensitiveQueryRequest.objects.update(submitted_at=odd, period_start=odd.date(), period_end=odd.date())
    ConfigChange.objects.update(performed_at=odd)
    Equipment.objects.update(purchase_date=odd.date(), warranty_end=odd.date())
    BackupRun.objects.update(started_at=odd, finished_at=odd)
    ServerOperation.objects.update(started_at=odd, finished_at=odd)
    PrivilegedAccount.objects.update(last_password_change=odd.date(), rotation_due_on=odd.date())
    pages = [
        reverse(name)
        for name in (
            "accounts:sensitive_query_log",
            "accounts:sensitive_request_list",
            "accounts:privileged_account_list",
            "inventory:change_list",
            "inventory:equipment_list",
            "backups:run_list",
            "backups:target_list",
            "backups:operation_list",
        )
    ]
    for name, model in (
        ("accounts:sensitive_request_detail", SensitiveQueryRequest),
        ("accounts:privileged_account_detail", PrivilegedAccount),
        ("inventory:change_detail", ConfigChange),
        ("inventory:equipment_detail", Equipment),
        ("backups:run_detail", BackupRun),
        ("backups:target_detail", BackupTarget),
        ("backups:operation_detail", ServerOperation),
    ):
        pages.append(reverse(name, args=[model.objects.order_by("pk").first().pk]))
    client.force_login(User.objects.get(username="it_head"))
    statuses = {url: client.get(url).status_code for url in pages}
    assert statuses == dict.fromkeys(pages, 200)
    assert "0001" in client.get(reverse("accounts:sensitive_query_log")).content.decode()


def test_the_date_check_names_the_rows_stored_out_of_range(make_user):
    from io import StringIO

    from django.core.management import call_command

    from accounts.models import User

    quiet, odd, fine = StringIO(), make_user("staff"), make_user("staff")
    call_command("check_dates", stdout=quiet)
    assert "2000" in quiet.getvalue() and "accounts.User" not in quiet.getvalue()
    User.objects.filter(pk=odd.pk).update(date_joined=datetime.datetime(1, 1, 1, tzinfo=datetime.UTC))
    out = StringIO()
    call_command("check_dates", stdout=out)
    assert f"accounts.User.date_joined: 1 ({odd.pk})" in out.getvalue()
    assert str(fine.pk) not in out.getvalue().split("accounts.User.date_joined")[1].splitlines()[0]


def test_a_grant_revocation_with_an_overlong_comment_is_refused_and_the_grant_kept(client, officer, make_user):
    from accounts.models import Grant, InformationSystem

    system = InformationSystem.objects.create(code="HIS", name="医院信息系统")
    grant = Grant.objects.create(user=make_user("staff"), system=system, account_name="wangxh")
    client.force_login(officer)
    url = reverse("accounts:grant_revoke", args=[grant.pk])
    page = client.post(url, {"comment": "长" * (COMMENT_LENGTH + 1)}, follow=True).content.decode()
    assert f"不超过 {COMMENT_LENGTH} 字符" in page
    grant.refresh_from_db()
    assert grant.revoked_at is None
    client.post(url, {"comment": "离职"})
    grant.refresh_from_db()
    assert grant.revoked_at is not None
