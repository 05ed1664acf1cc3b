"""The generic views refuse what no rule allows: an unscoped model, an edit that leaves its author's scope."""

import io
from urllib.parse import unquote

import django_tables2 as tables
import openpyxl
import pytest
from django import forms
from django.contrib.auth.models import Group
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from portal.views.generic import ObjectDetailView, ObjectEditView, ObjectListView
from portal.workflow import perform, transition_done
from tests.testapp.models import Voucher


def _request(user, method="get", data=None):
    request = getattr(RequestFactory(), method)("/", data or {})
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


class GroupTable(tables.Table):
    class Meta:
        model = Group
        fields = ["name"]


def test_a_list_of_a_model_without_visible_to_is_refused_not_served(make_user):
    """Group has no visible_to: the generic list must not fall back to every row."""
    view = ObjectListView.as_view(model=Group, table_class=GroupTable)
    with pytest.raises(ImproperlyConfigured, match="visible_to"):
        view(_request(make_user("it_head")))


def test_a_detail_page_of_a_model_without_visible_to_is_refused(make_user):
    group = Group.objects.get(name="staff")
    with pytest.raises(ImproperlyConfigured, match="visible_to"):
        ObjectDetailView.as_view(model=Group)(_request(make_user("it_head")), pk=group.pk)


class VoucherForm(forms.ModelForm):
    class Meta:
        model = Voucher
        fields = ["title", "applicant"]


class VoucherEditView(ObjectEditView):
    model = Voucher
    form_class = VoucherForm
    success_url = "/"


def test_an_edit_that_moves_the_object_out_of_the_editors_scope_is_rolled_back(make_user, other_department):
    editor = make_user("staff")
    outsider = make_user("staff", department=other_department)
    voucher = Voucher.objects.create(title="采购打印机", amount=10, applicant=editor)
    response = VoucherEditView.as_view()(
        _request(editor, "post", {"title": "采购打印机（改）", "applicant": outsider.pk}), pk=voucher.pk
    )
    assert response.status_code == 200
    assert response.context_data["form"].non_field_errors() == ["保存后该记录将超出您可查看或编辑的范围，未保存。"]
    voucher.refresh_from_db()
    assert (voucher.title, voucher.applicant) == ("采购打印机", editor)


def test_an_edit_inside_the_scope_is_saved(make_user):
    editor = make_user("staff")
    colleague = make_user("staff")
    voucher = Voucher.objects.create(title="采购打印机", amount=10, applicant=editor)
    response = VoucherEditView.as_view()(
        _request(editor, "post", {"title": "采购扫描仪", "applicant": colleague.pk}), pk=voucher.pk
    )
    assert response.status_code == 302
    voucher.refresh_from_db()
    assert (voucher.title, voucher.applicant) == ("采购扫描仪", colleague)


def test_a_step_announces_itself_once_inside_its_transaction(make_user):
    applicant = make_user("staff")
    heard = []

    def listener(sender, instance, action, from_state, by, comment, arguments, **kwargs):
        heard.append((sender, instance.state, action, from_state, by, comment))

    transition_done.connect(listener, sender=Voucher)
    try:
        voucher = Voucher.objects.create(title="采购", amount=10, applicant=applicant)
        perform(voucher, "submit", by=applicant, comment="请审批")
    finally:
        transition_done.disconnect(listener, sender=Voucher)
    assert heard == [(Voucher, Voucher.State.SUBMITTED, "submit", Voucher.State.DRAFT, applicant, "请审批")]


def test_a_failing_effect_undoes_the_step(make_user):
    applicant = make_user("staff")

    def broken(**kwargs):
        raise RuntimeError("effect failed")

    transition_done.connect(broken, sender=Voucher)
    try:
        voucher = Voucher.objects.create(title="采购", amount=10, applicant=applicant)
        with pytest.raises(RuntimeError):
            perform(voucher, "submit", by=applicant)
    finally:
        transition_done.disconnect(broken, sender=Voucher)
    voucher.refresh_from_db()
    assert voucher.state == Voucher.State.DRAFT


class VoucherTable(tables.Table):
    class Meta:
        model = Voucher
        fields = ["title", "amount"]


class VoucherListView(ObjectListView):
    model = Voucher
    table_class = VoucherTable
    paginate_by = 2
    title = "凭证"


def test_a_list_page_counts_its_rows_once(make_user):
    reader = make_user("staff")
    for number in range(5):
        Voucher.objects.create(title=f"凭证{number}", amount=number, applicant=reader)
    with CaptureQueriesContext(connection) as queries:
        response = VoucherListView.as_view()(_request(reader, data={"page": "2"}))
        response.render()
    counts = [query["sql"] for query in queries if "COUNT(" in query["sql"] and "testapp_voucher" in query["sql"]]
    assert len(counts) == 1, counts
    paginator = response.context_data["paginator"]
    assert (paginator.count, paginator.num_pages, len(response.context_data["table"].page.object_list)) == (5, 3, 2)


def test_every_list_exports_its_whole_filtered_scope_as_csv_and_xlsx(make_user, other_department):
    reader = make_user("staff")
    for number in range(5):
        Voucher.objects.create(title=f"本科室凭证{number}", amount=number, applicant=reader)
    Voucher.objects.create(title="外科凭证", amount=9, applicant=make_user("staff", department=other_department))
    response = VoucherListView.as_view()(_request(reader, data={"export": "csv", "sort": "-amount"}))
    assert response["Content-Type"].startswith("text/csv")
    assert "凭证-" in unquote(response["Content-Disposition"])
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[1:] == [f"本科室凭证{number},{number}" for number in (4, 3, 2, 1, 0)]
    xlsx = VoucherListView.as_view()(_request(reader, data={"export": "xlsx"}))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 6
