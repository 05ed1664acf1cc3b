"""The ticket's own action pages (spare machine, parts wait, failure report) refuse by the ticket's state:
a GET in the wrong state is 403, a POST is answered with the reason, and nothing is done."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from inventory.models import SpareLoan
from repairs.models import FailureReport, RepairTicket

from .conftest import to_on_site

pytestmark = pytest.mark.django_db


def _page(response):
    return response.content.decode()


def test_a_spare_is_lent_only_while_the_repair_is_in_hand(client, ticket, officer, spare):
    url = reverse("repairs:ticket_lend_spare", args=[ticket.pk])
    client.force_login(officer)
    assert client.get(url).status_code == 403
    data = {"spare": spare.pk, "expected_return": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "维修处理期间才能出借备用机" in _page(response)
    assert not SpareLoan.objects.exists()
    to_on_site(ticket, officer)
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 302
    assert RepairTicket.objects.get(pk=ticket.pk).spare_out is not None
    assert client.get(url).status_code == 403


def test_the_parts_wait_page_follows_the_workflow(client, ticket, officer):
    url = reverse("repairs:ticket_wait_parts", args=[ticket.pk])
    client.force_login(officer)
    assert client.get(url).status_code == 403
    data = {"parts-TOTAL_FORMS": "1", "parts-INITIAL_FORMS": "0", "comment": ""}
    data.update({"parts-0-part": "硬盘", "parts-0-quantity": "1", "parts-0-unit_cost": "420"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "硬盘" in _page(response)
    ticket.refresh_from_db()
    assert ticket.state == "submitted" and not ticket.parts.exists()


def test_the_failure_report_page_is_for_a_repaired_class_1_fault(client, ticket, officer):
    url = reverse("repairs:ticket_failure_report", args=[ticket.pk])
    client.force_login(officer)
    assert client.get(url).status_code == 403
    response = client.post(url, {"cause": "存储故障", "timeline": "09:00 停机", "measures": "冗余"})
    assert response.status_code == 200
    assert "存储故障" in _page(response)
    assert response.context["form"].non_field_errors()
    assert not FailureReport.objects.exists()


def test_returning_a_spare_that_is_not_out_is_refused_in_words(client, ticket, officer):
    client.force_login(officer)
    response = client.post(reverse("repairs:ticket_return_spare", args=[ticket.pk]), follow=True)
    assert response.status_code == 200
    assert "此报修单没有未归还的备用机。" in _page(response)
    assert client.get(reverse("repairs:ticket_return_spare", args=[ticket.pk])).status_code == 405


def test_the_queue_exports_every_ticket_it_holds(client, ticket, officer, staff):
    client.force_login(staff)
    response = client.get(reverse("repairs:ticket_list"), {"queue": "department", "export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert ticket.number in response.content.decode("utf-8-sig")
