"""Demo vendor: one registered vendor, its engineer's login ``vendor`` (password Demo-2026), and one ticket of 内科
sent to it through the services, so the engineer has a ticket to open."""

from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import Department, User
from inventory.models import Equipment
from portal.people import people_with
from portal.roles import Role

from . import services, vendors
from .models import RepairTicket, Vendor

DEMO_VENDOR = {"name": "联想服务站", "contact": "周工", "phone": "400-990-8888"}
ENGINEER = {"username": "vendor", "full_name": "孙维修", "phone": "13800138000", "email": "vendor@lenovo-service.local"}


def seed(*, scale="demo", stdout=None):
    if User.objects.filter(username=ENGINEER["username"]).exists():
        return
    it_head = people_with(Role.IT_HEAD).order_by("pk").first()
    officer = people_with(Role.IT_OFFICER).order_by("pk").first()
    neike = Department.objects.filter(code="NK").first()
    reporter = User.objects.filter(username=Role.STAFF).first()
    if None in (it_head, officer, neike, reporter):
        return
    vendor = Vendor.objects.filter(name=DEMO_VENDOR["name"]).first() or vendors.vendor_save(by=it_head, **DEMO_VENDOR)
    engineer = vendors.engineer_register(by=it_head, vendor=vendor, password=DEMO_PASSWORD, **ENGINEER)
    # A demo login signs in with the demo password, without the first sign-in's password change.
    User.objects.filter(pk=engineer.user_id).update(password_changed_at=timezone.now())
    open_devices = RepairTicket.objects.open().filter(equipment__isnull=False).values("equipment_id")
    device = (
        Equipment.objects.filter(
            department=neike, warranty_end__gte=timezone.localdate(), status=Equipment.Status.IN_USE
        )
        .exclude(pk__in=open_devices)
        .order_by("pk")
        .first()
    )
    ticket = services.ticket_file(
        by=reporter,
        department=neike,
        contact_phone="81234",
        category="hardware",
        description="内科护士站电脑主板报警，开机三声长鸣无显示，保修期内。",
        equipment=device,
        device_description="" if device else "护士站电脑主机",
        location="内科护士站",
    )
    ticket = services.ticket_transition(ticket, "dispatch", by=officer, assignee=officer)
    ticket = services.ticket_transition(ticket, "arrive", by=officer)
    services.ticket_transition(
        ticket,
        "wait_vendor",
        by=officer,
        comment="主板故障，保修期内，已联系厂家上门。",
        vendor_company=vendor,
        rma_no="RMA20261201",
    )
    if stdout:
        stdout.write(f"repairs: vendor {vendor} with engineer login {ENGINEER['username']}, ticket {ticket.number}")
