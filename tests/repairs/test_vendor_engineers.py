"""Vendor engineers (issue 16): a login that sees only the tickets sent to its company, adds a note and a photo,
and nothing else; the right comes and goes with the ticket, through the services only, and shows on the person's
page."""

import io
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.shortcuts import get_perms
from PIL import Image

from accounts.models import InformationSystem, User
from accounts.services import role_change
from portal.attachments import attach
from portal.exceptions import ActionRefused
from portal.models import Attachment, Notification, SecurityEvent
from repairs import vendors
from repairs.models import RepairTicket, Vendor, VendorNote
from repairs.models import VendorEngineer as VendorEngineerModel
from repairs.models.vendors import attended_tickets
from tests.portal.test_every_page import DOWNLOADS, _complete_the_demo, _fill, _patterns, _quiet, _with_actions

from .conftest import act, file_ticket, to_on_site

pytestmark = pytest.mark.django_db  # also what makes pytest-django create the test database for the walk

PASSWORD = "Weixiu-2026"


def photo_bytes(fmt="PNG"):
    """A real image, as a phone's camera would send it."""
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


@pytest.fixture
def vendor(officer):
    return vendors.vendor_save(by=officer, name="联想服务站", contact="周工", phone="400-990-8888")


@pytest.fixture
def other_vendor(officer):
    return vendors.vendor_save(by=officer, name="惠普授权维修中心")


def register(vendor, by, username="lenovo1", **fields):
    return vendors.engineer_register(
        by=by,
        vendor=vendor,
        username=username,
        full_name=fields.pop("full_name", "孙维修"),
        password=PASSWORD,
        **fields,
    ).user


@pytest.fixture
def engineer(vendor, officer):
    return register(vendor, officer)


def sent(ticket, officer, vendor):
    return act(to_on_site(ticket, officer), "wait_vendor", officer, vendor_company=vendor, rma_no="RMA1")


@pytest.fixture
def waiting(staff, department, officer, vendor, engineer):
    return sent(file_ticket(staff, department, location="内科护士站"), officer, vendor)


def attends(engineer, ticket):
    return "attend_ticket" in get_perms(User.objects.get(pk=engineer.pk), ticket)


def permission_events(change):
    return SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PERMISSION_CHANGE, detail__attend_ticket=change)


def test_sending_to_a_registered_vendor_gives_its_engineers_the_ticket(
    staff, department, officer, vendor, other_vendor, engineer
):
    colleague = register(vendor, officer, username="lenovo2", full_name="钱工")
    stranger = register(other_vendor, officer, username="hp1", full_name="赵工")
    ticket = sent(file_ticket(staff, department), officer, vendor)
    assert ticket.vendor == "联想服务站" and ticket.vendor_company == vendor
    assert attends(engineer, ticket) and attends(colleague, ticket)
    assert not attends(stranger, ticket)
    assert list(attended_tickets(engineer)) == [ticket]
    assert permission_events("granted").count() == 2
    assert permission_events("granted").filter(user=officer, detail__engineer=engineer.pk).exists()
    note = Notification.objects.get(recipient=engineer)
    assert note.url == reverse("repairs:attended_ticket", args=[ticket.pk])
    assert not Notification.objects.filter(recipient=stranger).exists()


def test_a_vendor_named_only_gives_no_one_anything(staff, department, officer, engineer):
    ticket = act(to_on_site(file_ticket(staff, department), officer), "wait_vendor", officer, vendor="某厂家")
    assert ticket.vendor == "某厂家" and ticket.vendor_company is None
    assert not attended_tickets(engineer).exists()


def test_the_right_ends_when_the_ticket_is_done(waiting, officer, staff, engineer, it_head):
    ticket = act(waiting, "repair", officer, cause="主板电容鼓包", action_taken="厂家更换主板")
    assert attends(engineer, ticket), "repaired, not yet done: the engineer still follows it"
    ticket = act(ticket, "confirm", staff, satisfaction=5)
    assert not attends(engineer, ticket)
    ticket = act(ticket, "close", officer)
    assert ticket.state == "closed" and not attended_tickets(engineer).exists()
    assert permission_events("revoked").filter(detail__ticket=ticket.pk).count() == 1


def test_closing_without_confirmation_ends_the_right_too(waiting, officer, engineer, it_head):
    ticket = act(waiting, "repair", officer, cause="主板", action_taken="更换主板")
    act(ticket, "close_unconfirmed", it_head, comment="科室多次催办未确认")
    assert not attended_tickets(engineer).exists()


def test_taking_the_ticket_back_or_sending_it_elsewhere_ends_the_right(waiting, officer, engineer, other_vendor):
    hp = register(other_vendor, officer, username="hp1", full_name="赵工")
    ticket = act(waiting, "resume", officer)
    assert ticket.vendor_company is None and ticket.vendor == "联想服务站", "the name it was sent to stays"
    assert not attends(engineer, ticket)
    ticket = act(ticket, "wait_vendor", officer, vendor_company=other_vendor)
    assert attends(hp, ticket) and not attends(engineer, ticket)


def test_the_sync_is_the_rule_and_running_it_again_changes_nothing(waiting, officer, engineer):
    assert vendors.ticket_attendance_sync(ticket=waiting, by=officer) == ([], [])
    engineer.is_active = False
    engineer.save()
    assert vendors.ticket_attendance_sync(ticket=waiting, by=officer) == ([], [engineer])


def test_an_engineer_who_leaves_the_vendor_loses_login_and_tickets(client, waiting, officer, engineer, vendor):
    colleague = register(vendor, officer, username="lenovo2", full_name="钱工")
    client.force_login(officer)
    link = VendorEngineerModel.objects.get(user=engineer)
    response = client.post(reverse("repairs:engineer_deactivate", args=[link.pk]))
    assert response.url == vendor.get_absolute_url()
    engineer.refresh_from_db()
    assert not engineer.is_active and not attends(engineer, waiting)
    assert attends(colleague, waiting), "the vendor's other engineers keep it"
    assert permission_events("revoked").filter(detail__engineer=engineer.pk).count() == 1
    assert SecurityEvent.objects.filter(detail__vendor_engineer="deactivated", detail__engineer=engineer.pk).exists()
    with pytest.raises(ActionRefused, match="该账号已停用"):
        vendors.engineer_deactivate(engineer=link, by=officer)
    client.logout()
    assert client.post(reverse("login"), {"username": engineer.username, "password": PASSWORD}).status_code == 200


def test_an_engineer_registered_later_gets_the_vendors_open_tickets(staff, department, officer, vendor, it_head):
    open_ticket = sent(file_ticket(staff, department), officer, vendor)
    done = sent(file_ticket(staff, department, description="另一台"), officer, vendor)
    done = act(done, "repair", officer, cause="x", action_taken="y")
    act(done, "confirm", staff, satisfaction=4)
    late = register(vendor, it_head, username="lenovo9", full_name="后来的工程师")
    assert list(attended_tickets(late)) == [open_ticket]


def test_registering_an_engineer_makes_a_confined_login(client, vendor, officer, staff, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    user = register(vendor, officer, phone="13800138000")
    assert user.vendor_engineer.vendor == vendor and user.department is None
    assert set(user.groups.values_list("name", flat=True)) == {"vendor_engineer"}
    assert user.employee_no.startswith("WB-"), "every login is one person's, known by a number of its own"
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ROLE_CHANGE, detail__engineer=user.pk).exists()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("repairs:attended_list")).url == reverse("password_change"), (
        "IT's password is changed first"
    )
    with pytest.raises(ActionRefused, match="只有信息科工程师和信息科主任"):
        register(vendor, staff, username="x1")
    with pytest.raises(ActionRefused, match="密码"):
        vendors.engineer_register(by=officer, vendor=vendor, username="x2", full_name="弱密码", password="123")
    assert not User.objects.filter(username__in=["x1", "x2"]).exists()


def test_it_registers_vendors_and_engineers_on_the_pages(client, officer, staff):
    client.force_login(officer)
    response = client.post(reverse("repairs:vendor_create"), {"name": "戴尔售后", "contact": "李工", "is_active": "on"})
    dell = Vendor.objects.get(name="戴尔售后")
    assert response.url == dell.get_absolute_url()
    data = {"username": "dell1", "full_name": "吴工", "password": PASSWORD}
    response = client.post(reverse("repairs:engineer_create", args=[dell.pk]), data)
    assert response.status_code == 302
    page = client.get(dell.get_absolute_url()).content.decode()
    assert "吴工" in page and "dell1" in page
    assert "戴尔售后" in client.get(reverse("repairs:vendor_list")).content.decode()
    client.force_login(staff)
    assert client.get(reverse("repairs:vendor_list")).status_code == 403


def test_the_send_form_offers_the_registered_vendors(client, staff, department, officer, vendor, engineer):
    ticket = to_on_site(file_ticket(staff, department), officer)
    client.force_login(officer)
    url = reverse("repairs:ticket_action", args=[ticket.pk, "wait_vendor"])
    assert "联想服务站" in client.get(url).content.decode()
    response = client.post(url, {"vendor": "", "vendor_company": ""})
    assert "选择已登记的维保厂商，或填写厂家名称" in response.content.decode()
    client.post(url, {"vendor_company": vendor.pk, "rma_no": "RMA9", "comment": "主板故障"})
    assert attended_tickets(engineer).get() == ticket


def test_engineer_sees_only_their_tickets_and_lands_on_them(
    client, waiting, staff, department, officer, engineer, other_vendor
):
    other = sent(file_ticket(staff, department, description="别家的"), officer, other_vendor)
    mine_only = file_ticket(staff, department, description="未送厂家")
    client.force_login(engineer)
    assert client.get("/").url == reverse("repairs:attended_list")
    page = client.get(reverse("repairs:attended_list")).content.decode()
    assert waiting.number in page and other.number not in page and mine_only.number not in page
    assert 'data-testid="nav-attended"' in page and "nav-report-fault" not in page and "仪表盘" not in page
    for ticket in (other, mine_only):
        assert client.get(reverse("repairs:attended_ticket", args=[ticket.pk])).status_code == 404
        assert client.get(ticket.get_absolute_url()).status_code == 404
    page = client.get(reverse("repairs:attended_ticket", args=[waiting.pk])).content.decode()
    assert "内科护士站" in page and "卡纸" in page and "等待厂家" in page, "fault, device, location and history"
    assert staff.full_name not in page and "81234" not in page and "内科" not in page.replace("内科护士站", "")


def test_engineer_list_query_count_does_not_grow(
    client, staff, department, officer, vendor, engineer, django_assert_max_num_queries
):
    sent(file_ticket(staff, department), officer, vendor)
    client.force_login(engineer)
    url = reverse("repairs:attended_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(6):
        sent(file_ticket(staff, department, description=f"第{index}台"), officer, vendor)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["tickets"]) == 7


def test_engineer_adds_a_note_and_a_photo_that_it_sees_with_the_company(client, waiting, engineer, officer):
    client.force_login(engineer)
    url = reverse("repairs:attended_note", args=[waiting.pk])
    photo = SimpleUploadedFile("主板.jpg", photo_bytes("JPEG"), content_type="image/jpeg")
    response = client.post(url, {"text": "已到场，更换主板，待观察。", "photos": [photo]})
    assert response.url == reverse("repairs:attended_ticket", args=[waiting.pk])
    note = VendorNote.objects.get()
    assert note.vendor.name == "联想服务站" and note.author == engineer
    [stored] = Attachment.objects.filter(object_id=note.pk, content_type__model="vendornote")
    assert stored.mime_type == "image/jpeg"
    assert client.get(reverse("portal:attachment", args=[stored.pk])).status_code == 200
    client.force_login(officer)
    page = client.get(waiting.get_absolute_url()).content.decode()
    assert 'data-testid="vendor-notes"' in page and "已到场，更换主板，待观察。" in page
    assert '<span class="badge text-bg-info" data-testid="note-vendor">联想服务站</span>' in page
    assert client.get(reverse("portal:attachment", args=[stored.pk])).status_code == 200


def test_a_file_that_is_no_photo_is_refused_with_a_message(client, waiting, engineer):
    client.force_login(engineer)
    url = reverse("repairs:attended_note", args=[waiting.pk])
    fake = SimpleUploadedFile("照片.png", b"MZ\x90\x00 this is a program", content_type="image/png")
    response = client.post(url, {"text": "见附件", "photos": [fake]})
    assert response.status_code == 200 and "不是允许的文件类型" in response.content.decode()
    pdf = SimpleUploadedFile(
        "报告.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", content_type="application/pdf"
    )
    response = client.post(url, {"text": "见附件", "photos": [pdf]})
    assert "不是照片" in response.content.decode()
    assert not VendorNote.objects.exists() and not Attachment.objects.exists()


def test_a_note_only_on_a_ticket_the_engineer_attends(waiting, officer, engineer, staff, department, other_vendor):
    other = sent(file_ticket(staff, department, description="别家的"), officer, other_vendor)
    with pytest.raises(ActionRefused, match="不在贵公司"):
        vendors.vendor_note_add(ticket=other, by=engineer, text="x")
    with pytest.raises(ActionRefused, match="只有维保厂商的工程师"):
        vendors.vendor_note_add(ticket=waiting, by=officer, text="x")
    done = act(act(waiting, "repair", officer, cause="x", action_taken="y"), "confirm", staff, satisfaction=5)
    with pytest.raises(ActionRefused, match="不在贵公司"):
        vendors.vendor_note_add(ticket=done, by=engineer, text="完工后补充")


def test_the_persons_page_shows_the_right_on_the_ticket(client, waiting, engineer, it_head):
    client.force_login(it_head)
    page = client.get(reverse("accounts:user_detail", args=[engineer.pk])).content.decode()
    assert "作为维保工程师处理此报修单" in page and waiting.number in page


def test_no_scoped_queryset_and_no_hospital_role_for_an_engineer(engineer, department, it_head, waiting):
    engineer.department = department  # even given a department by mistake, they see none of its rows
    engineer.save()
    engineer = User.objects.get(pk=engineer.pk)
    assert not RepairTicket.objects.visible_to(engineer).exists()
    assert not User.objects.visible_to(engineer).exists()
    InformationSystem.objects.get_or_create(code="HIS", defaults={"name": "医院信息系统", "tier": 1})
    assert InformationSystem.objects.visible_to(it_head).exists()
    assert not InformationSystem.objects.visible_to(engineer).exists()
    with pytest.raises(ActionRefused, match="医院外人员"):
        role_change(user=engineer, role="staff", give=True, reason="报修", by=it_head)


# The walk: every URL of the portal, opened as the demo's vendor engineer over the demo hospital.
ALLOWED = {
    "repairs:attended_list",
    "repairs:attended_ticket",
    "repairs:attended_note",
    "portal:notifications",
    "login",
    "password_change",
    "set_language",
}
ALLOWED_POST_ONLY = {"logout", "portal:notifications_read_all", "portal:notification_open"}
# Not a page of its own: it leads to the engineer's tickets.
DASHBOARD = "portal:dashboard"
ADMIN_URLS = ["/admin/", "/admin/accounts/user/", "/admin/repairs/repairticket/", "/admin/login/"]


def _actions(pattern, kwargs):
    """The crawl's pages of each action, or, for a POST-only step whose model has no state, one named at random."""
    view = getattr(pattern.callback, "view_class", None)
    if "action" in pattern.pattern.converters and not hasattr(view, "get"):
        return [{**kwargs, "action": "any"}]
    return _with_actions(pattern, kwargs)


@pytest.fixture(scope="module")
def walk(django_db_setup, django_db_blocker, _suite_clock):
    """Each URL name with its arguments filled from the demo (the engineer's own ticket for their pages), and the
    status each method answers the vendor engineer."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", force=True, stdout=io.StringIO())
        _complete_the_demo()
        engineer = User.objects.get(username="vendor")
        client = Client(raise_request_exception=False)
        client.force_login(engineer)
        own = attended_tickets(engineer).get()
        # A photo the department filed with its ticket, and one the engineer added to their own.
        hospitals = RepairTicket.objects.exclude(pk=own.pk).order_by("pk").first()
        [hospital_photo] = attach(hospitals, [SimpleUploadedFile("科室.png", photo_bytes())], by=hospitals.reporter)
        note = vendors.vendor_note_add(
            ticket=own, by=engineer, text="到场", photos=[SimpleUploadedFile("主板.png", photo_bytes())]
        )
        own_photo = Attachment.objects.get(object_id=note.pk, content_type__model="vendornote")
        statuses, objects = {}, {}
        with _quiet(logging.getLogger("django.request")):
            for name, pattern in _patterns():
                kwargs = _fill(name, pattern, objects)
                if name.startswith("repairs:attended_") and "pk" in pattern.pattern.converters:
                    kwargs = {"pk": own.pk}
                if name == "portal:attachment":
                    kwargs = {"pk": hospital_photo.pk}
                    statuses[name, "own", "GET"] = client.get(reverse(name, args=[own_photo.pk])).status_code
                if kwargs is None:  # a button with no demo row to fill it (POST only): any arguments do
                    kwargs = dict.fromkeys(pattern.pattern.converters, 1)
                for page_kwargs in _actions(pattern, kwargs):
                    url = reverse(name, kwargs=page_kwargs)
                    statuses[name, url, "GET"] = client.get(url).status_code
                    if name not in ALLOWED | ALLOWED_POST_ONLY | {DASHBOARD}:
                        statuses[name, url, "POST"] = client.post(url, {"comment": "x"}).status_code
            for url in ADMIN_URLS:
                statuses["admin", url, "GET"] = client.get(url).status_code
        yield statuses, own
        transaction.set_rollback(True)


def test_every_other_url_is_404_to_the_vendor_engineer(walk):
    statuses, _own = walk
    assert len({name for name, _url, _method in statuses}) > 200
    wrong = {
        (name, url, method): status
        for (name, url, method), status in statuses.items()
        if name not in ALLOWED | ALLOWED_POST_ONLY | {DASHBOARD} and url != "own" and status != 404
    }
    assert wrong == {}
    assert any(DOWNLOADS.search(name) for name, _url, _method in statuses), "PDFs, exports and attachments too"


def test_the_vendor_engineer_opens_their_own_pages(walk):
    statuses, own = walk
    opened = {name for (name, _url, method), status in statuses.items() if method == "GET" and status == 200}
    assert opened >= ALLOWED - {"login", "set_language"}
    assert statuses["repairs:attended_ticket", reverse("repairs:attended_ticket", args=[own.pk]), "GET"] == 200
    assert statuses["login", reverse("login"), "GET"] == 302, "already signed in"
    assert statuses["portal:dashboard", "/", "GET"] == 302, "the dashboard leads to their tickets"
    assert statuses["portal:attachment", "own", "GET"] == 200, "the photo of their own note"
    hospital_photo = [
        status
        for (name, url, method), status in statuses.items()
        if name == "portal:attachment" and url != "own" and method == "GET"
    ]
    assert hospital_photo == [404], "the department's photo of the fault is not theirs"
