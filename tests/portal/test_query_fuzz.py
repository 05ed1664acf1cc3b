"""No query parameter answers 500 (issue 13): every list page and the public page, fuzzed.

Each page is asked, one parameter at a time, with a NUL byte, non-ASCII digits, huge and negative numbers,
out-of-range months and dates and a quote, by a user who holds every role: it answers 200 or 400, never 500.
"""

import datetime

import pytest
from django.urls import URLResolver, get_resolver, reverse

from backups.models import BackupTarget
from inspections.models import MachineRoom
from portal.filters import FilterSet
from portal.roles import OutsideRole, Role
from repairs.models import RepairTicket
from reports.forms import PeriodForm
from tests.portal.test_filters import all_filtersets

VALUES = ["a\x00b", "²", "٣", "99999999999999999999", "-1", "9999-12", "0001-01-01", "'"]
# Pages that are not pages: POST-only endpoints, files, the language switch.
NOT_PAGES = {
    "logout",
    "set_language",
    "healthz",
    "portal:notifications_read_all",
    "backups:api_runs",
    "inventory:import_template",
    "public:feed",
}
# The names a view reads from the query string itself (beside its filterset's and django-tables2's).
VIEW_PARAMS = {
    "public:index": ["q", "category", "page"],
    "repairs:ticket_list": ["queue", "before", "after"],
    "repairs:ticket_create": ["inspection_result", "asset"],
    "inventory:equipment_list": ["export"],
    "inventory:equipment_labels": ["pk"],
    "inventory:loan_create": ["spare"],
    "inventory:stocktake_create": ["scope", "department", "custodian"],
    "backups:run_create": ["target"],
    "backups:verification_create": ["target"],
    "accounts:sensitive_query_log": ["show", "page"],
    "reports:report": list(PeriodForm.base_fields),
    "reports:archive": ["kind", "page"],
    "inspections:room_detail": ["month", "days"],
}
COMMON_PARAMS = ["page", "sort"]
# Pages of someone from outside the hospital, theirs alone (everyone else gets 403): fuzzed as one of them.
OUTSIDE_PAGES = {"repairs:attended_list": OutsideRole.VENDOR_ENGINEER}


def _pages(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from _pages(pattern.url_patterns, inner)
        elif pattern.name and not pattern.pattern.converters and not str(pattern.pattern).startswith("^"):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            if name not in NOT_PAGES and not name.startswith("admin:"):
                yield name, pattern.callback


def _filter_params(view_class):
    """The query-string names of a list page's filterset, range filters as their two halves."""
    filterset_class = getattr(view_class, "filterset_class", None) if view_class else None
    if filterset_class is None:
        return []
    form = filterset_class(data={}, queryset=filterset_class._meta.model.objects.none()).form
    names = []
    for name, field in form.fields.items():
        suffixes = getattr(field.widget, "suffixes", None)
        names += [f"{name}_{suffix}" if suffix else name for suffix in suffixes] if suffixes else [name]
    return names


PAGES = sorted(
    (name, [*_filter_params(getattr(callback, "view_class", None)), *VIEW_PARAMS.get(name, []), *COMMON_PARAMS])
    for name, callback in _pages(get_resolver().url_patterns)
)


def _fuzz(client, url, params):
    """Each name alone with each value: the page answers as it does with no parameter, or 400; never 500."""
    baseline = client.get(url).status_code
    assert baseline in (200, 302, 404, 405), f"{url}: {baseline}"
    if baseline in (302, 405):
        pytest.skip(f"{url} is not a page ({baseline})")
    failures = []
    for name in dict.fromkeys(params):
        # Django's paginator answers 404 to a page number past the end, as it should.
        allowed = {baseline, 400, 404} if name == "page" else {baseline, 400}
        for value in VALUES:
            try:
                status = client.get(url, {name: value}).status_code
            except Exception as error:  # noqa: BLE001 - the test client re-raises what would be a 500
                status = f"{type(error).__name__}: {error}"[:200]
            if status not in allowed:
                failures.append(f"{name}={value!r}: {status}")
    assert not failures, f"{url}: " + ", ".join(failures)


@pytest.fixture
def everyone(make_user):
    return make_user(*Role.values)


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "params"), PAGES, ids=[name for name, _params in PAGES])
def test_no_parameter_answers_500(client, everyone, make_user, url_name, params):
    outside = OUTSIDE_PAGES.get(url_name)
    client.force_login(make_user(outside, department=None) if outside else everyone)
    _fuzz(client, reverse(url_name), params)


def test_every_list_filter_derives_from_the_portal_filterset():
    """Its generated many-to-many filters refuse an id SQLite cannot bind (OverflowError, a 500)."""
    assert all(issubclass(param.values[0], FilterSet) for param in all_filtersets())


@pytest.mark.django_db
def test_many_to_many_filter_refuses_a_huge_id(client, everyone):
    client.force_login(everyone)
    response = client.get(reverse("backups:custody_list"), {"media": "99999999999999999999"})
    assert response.status_code == 200
    assert "media" in response.context["filter"].errors


@pytest.mark.django_db
def test_room_calendar_parameters_answer_400_not_500(client, everyone):
    room = MachineRoom.objects.create(name="中心机房", commissioned_on=datetime.date(2025, 1, 1))
    client.force_login(everyone)
    _fuzz(client, room.get_absolute_url(), [*VIEW_PARAMS["inspections:room_detail"], "version"])
    assert client.get(room.get_absolute_url(), {"month": "2025-12"}).status_code == 200
    assert client.get(room.get_absolute_url(), {"month": "9999-12"}).status_code == 400
    assert client.get(room.get_absolute_url(), {"days": "²"}).status_code == 400


@pytest.mark.django_db
def test_public_page_refuses_nul_and_odd_digits_with_400(client):
    assert client.get(reverse("public:index")).status_code == 200
    assert client.get(reverse("public:index"), {"q": "a\x00b"}).status_code == 400
    assert client.get(reverse("public:index"), {"category": "²"}).status_code == 400
    assert client.get(reverse("public:index"), {"category": "٣"}).status_code == 400


@pytest.mark.django_db
def test_a_nul_byte_in_a_form_answers_400_and_files_nothing(client, make_user):
    client.force_login(make_user(Role.STAFF))
    data = {"contact_phone": "81234", "device_description": "打印机", "category": "printer", "description": "卡\x00纸"}
    assert client.post(reverse("repairs:ticket_create"), data).status_code == 400
    assert not RepairTicket.objects.exists()


@pytest.mark.django_db
def test_revoking_an_odd_token_answers_400(client, make_user):
    dba = make_user(Role.DBA)
    target = BackupTarget.objects.create(
        code="HIS-DB", name="HIS 数据库", kind=BackupTarget.Kind.ORACLE, responsible_dba=dba
    )
    client.force_login(dba)
    assert client.post(f"/backups/targets/{target.pk}/revoke-token/", {"token": "²"}).status_code == 400


@pytest.mark.django_db
def test_ticket_with_an_odd_department_is_a_form_error(client, make_user):
    officer = make_user(Role.IT_OFFICER)
    client.force_login(officer)
    data = {"department": "²", "contact_phone": "81234", "device_description": "打印机", "category": "printer"}
    response = client.post(reverse("repairs:ticket_create"), {**data, "description": "卡纸"})
    assert response.status_code == 200
    assert "department" in response.context["form"].errors
    assert not RepairTicket.objects.exists()
