"""转报修 from an abnormal inspection finding: a sensible draft, then a link to the ticket instead of the button."""

import pytest
from django.urls import reverse

from inspections.models import RoundResult

from .conftest import NOON, frozen_at

pytestmark = pytest.mark.django_db

_frozen = frozen_at(NOON)


@pytest.fixture
def finding(submitted):
    return RoundResult.objects.get(is_abnormal=True)


def test_report_as_ticket_drafts_what_was_found_and_then_links_the_ticket(client, officer, it_department, finding):
    client.force_login(officer)
    page = client.get(finding.get_absolute_url()).content.decode()
    create = f"{reverse('repairs:ticket_create')}?inspection_result={finding.pk}"
    assert 'data-testid="report-as-ticket"' in page and create.replace("&", "&amp;") in page

    form = client.get(create).context["form"]
    assert not form["device_description"].value()
    description = form["description"].value()
    assert "机房温度" in description and "30.2" in description and "空调故障" in description
    assert form["location"].value() == "中心机房 门诊综合楼五楼"

    client.post(
        create,
        {
            "department": it_department.pk,
            "contact_phone": "1",
            "device_description": "精密空调",
            "category": "hardware",
            "description": description,
            "fault_class": "2",
        },
    )
    ticket = finding.repair_tickets.get()
    page = client.get(finding.get_absolute_url()).content.decode()
    assert 'data-testid="report-as-ticket"' not in page
    assert f'href="{ticket.get_absolute_url()}" data-testid="reported-ticket">已转报修 {ticket.number}' in page
    response = client.get(create)
    assert response.status_code == 302 and response["Location"] == ticket.get_absolute_url()
