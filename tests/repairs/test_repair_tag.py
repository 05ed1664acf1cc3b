"""The repair tag (维修标签) carries what 硬件设备维修制度 asks: the department, the fault, the handler and the date."""

import subprocess

from django.urls import reverse
from django.utils import timezone

from tests.repairs.conftest import to_repaired


def test_the_repair_tag_names_the_department_the_fault_the_handler_and_the_date(client, ticket, officer, tmp_path):
    ticket = to_repaired(ticket, officer)
    client.force_login(officer)
    response = client.get(reverse("repairs:ticket_tag_pdf", args=[ticket.pk]))
    path = tmp_path / "tag.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for expected in (
        ticket.department.name,
        "电脑开机无显示",
        officer.full_name,
        f"{timezone.localtime(ticket.reported_at):%Y-%m-%d}",
    ):
        assert expected in text, (expected, text)
