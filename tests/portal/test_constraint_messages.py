"""A database refusal reads as a sentence (issue 13): no constraint name ever reaches a user."""

import re

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import BaseConstraint
from django.test import RequestFactory
from django.utils import translation

from inventory.models import Equipment
from portal.constraints import constraint_message
from portal.views.generic import ObjectCreateView
from tests.inventory.factories import EquipmentFactory
from tests.testapp.models import Voucher

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_every_constraint_of_the_portal_has_its_own_chinese_sentence():
    constraints = [(model, c) for model in apps.get_models() for c in model._meta.constraints]
    assert len(constraints) > 70
    with translation.override("zh-hans"):
        for model, constraint in constraints:
            assert constraint.violation_error_message != BaseConstraint.default_violation_error_message, constraint.name
            message = str(constraint.get_violation_error_message())
            assert CHINESE.search(message), f"{model.__name__}.{constraint.name}: {message}"
            assert constraint.name not in message


def _refusal(statement):
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        statement()
    return caught.value


@pytest.mark.django_db
def test_a_check_constraint_refused_by_the_database_becomes_its_sentence():
    device = EquipmentFactory()
    error = _refusal(lambda: Equipment.objects.filter(pk=device.pk).update(price=-1))
    with translation.override("zh-hans"):
        assert str(constraint_message(error)) == "价格不能为负数。"


@pytest.mark.django_db
def test_a_unique_constraint_refused_by_the_database_becomes_its_sentence():
    device = EquipmentFactory(serial_no="SN-DUP")
    error = _refusal(lambda: EquipmentFactory(serial_no=device.serial_no))
    with translation.override("zh-hans"):
        assert str(constraint_message(error)) == "已有其他设备使用该序列号。"


class _VoucherCreate(ObjectCreateView):
    """A form whose save breaks a rule only the database sees, as when someone saved a clashing row meanwhile."""

    model = Voucher
    fields = ["title", "amount"]

    def save_form(self, form):
        Equipment.objects.filter(pk=self.kwargs["device"]).update(price=-1)


@pytest.mark.django_db
def test_the_edit_page_shows_the_refusal_on_the_form_instead_of_a_server_error(make_user):
    device = EquipmentFactory()
    request = RequestFactory().post("/vouchers/new/", {"title": "打印机硒鼓", "amount": 3})
    request.user = make_user("it_officer")
    with translation.override("zh-hans"):
        response = _VoucherCreate.as_view()(request, device=device.pk)
        response.render()
    assert response.status_code == 200
    html = response.content.decode()
    assert "价格不能为负数。" in html
    assert "inventory_equipment_price_not_negative" not in html
    device.refresh_from_db()
    assert device.price != -1
