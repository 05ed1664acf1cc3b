"""Vendors (维保厂商) and their engineers (维保工程师): registering them, the one rule of who attends a ticket, and
the notes and photos an engineer adds.

An engineer's right on a ticket is a django-guardian object permission (``attend_ticket``), given and taken here
only: ``ticket_attendance_sync`` makes the holders match the rule, and the ticket's steps (``repairs.effects``) and
the registration of an engineer call it. Every grant and revocation is in the security audit log.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import assign_perm, get_users_with_perms, remove_perm

from accounts.models import User
from portal import audit
from portal.attachments import attach, detect_mime
from portal.exceptions import ActionRefused
from portal.models import Attachment
from portal.notifications import notify
from portal.numbering import next_number
from portal.roles import OutsideRole, has_role
from portal.validation import validated

from .models import RepairTicket, Vendor, VendorEngineer, VendorNote
from .models.vendors import ATTEND_TICKET, attended_tickets
from .permissions import may_register_vendors

# The engineer's 工号 (000 保密制度 6: every login is one person's): 维保, the year, a sequence.
ENGINEER_NUMBER_PREFIX = "WB"


def _require_registrar(by):
    if not may_register_vendors(by):
        raise ActionRefused(_("Only IT officers and the IT head register vendors and their engineers."))


@transaction.atomic
def vendor_save(*, by, vendor: Vendor | None = None, **fields) -> Vendor:
    """Register a vendor, or edit one."""
    _require_registrar(by)
    vendor = vendor or Vendor()
    for name, value in fields.items():
        setattr(vendor, name, value)
    validated(vendor).save()
    return vendor


@transaction.atomic
def engineer_register(
    *, by, vendor: Vendor, username: str, full_name: str, password: str, phone: str = "", email: str = ""
) -> VendorEngineer:
    """A login for an engineer of ``vendor``: a local account with the vendor engineer role only, a 工号 of its own,
    and the initial password the engineer changes at the first sign-in. They attend the vendor's open tickets at once.
    """
    _require_registrar(by)
    if not vendor.is_active:
        raise ActionRefused(
            _("%(vendor)s is no longer active: register engineers of an active vendor.") % {"vendor": vendor}
        )
    user = User(username=username, full_name=full_name, phone=phone, email=email)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ActionRefused(" ".join(error.messages)) from error
    user.employee_no = next_number(ENGINEER_NUMBER_PREFIX)
    validated(user, exclude=["password"])
    user.set_password(password)
    user.save()
    if settings.PASSWORD_MAX_AGE_DAYS:  # IT chose the password: it starts expired, the engineer's first page changes it
        expired = timezone.now() - timedelta(days=settings.PASSWORD_MAX_AGE_DAYS, seconds=1)
        User.objects.filter(pk=user.pk).update(password_changed_at=expired)
    user.groups.add(Group.objects.get(name=OutsideRole.VENDOR_ENGINEER))
    engineer = VendorEngineer.objects.create(user=user, vendor=vendor, registered_by=by)
    audit.record(
        audit.Kind.ROLE_CHANGE,
        user=by,
        what=f"{user.username}: {OutsideRole.VENDOR_ENGINEER.label} ({vendor})",
        detail={"vendor_engineer": "registered", "vendor": vendor.pk, "engineer": user.pk},
    )
    for ticket in RepairTicket.objects.open().filter(vendor_company=vendor):
        ticket_attendance_sync(ticket=ticket, by=by)
    return engineer


@transaction.atomic
def engineer_deactivate(*, engineer: VendorEngineer, by) -> VendorEngineer:
    """The engineer has left the vendor: the login is closed, and every ticket they attend is taken from them."""
    _require_registrar(by)
    user = User.objects.select_for_update().get(pk=engineer.user_id)
    if not user.is_active:
        raise ActionRefused(_("This login is already closed."))
    tickets = list(attended_tickets(user))  # asked before the login closes: django-guardian skips inactive users
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit.record(
        audit.Kind.ROLE_CHANGE,
        user=by,
        what=f"{user.username}: {OutsideRole.VENDOR_ENGINEER.label} ({engineer.vendor})",
        detail={"vendor_engineer": "deactivated", "vendor": engineer.vendor_id, "engineer": user.pk},
    )
    for ticket in tickets:
        ticket_attendance_sync(ticket=ticket, by=by)
    return engineer


def ticket_attendants(ticket: RepairTicket):
    """Who attends ``ticket`` by the rule: the active engineers of the registered vendor it is with, until it is
    done (confirmed, closed or cancelled)."""
    if ticket.vendor_company_id is None or ticket.state in RepairTicket.DONE_STATES:
        return User.objects.none()
    return User.objects.filter(vendor_engineer__vendor_id=ticket.vendor_company_id, is_active=True)


def ticket_attendance_holders(ticket: RepairTicket):
    """Who holds ``attend_ticket`` on ``ticket`` now."""
    return get_users_with_perms(
        ticket, only_with_perms_in=["attend_ticket"], with_superusers=False, with_group_users=False
    ).order_by("username")


def ticket_attendance_sync(*, ticket: RepairTicket, by) -> tuple[list, list]:
    """Give ``attend_ticket`` to whoever the rule names and take it from whoever it no longer names; returns
    (granted, revoked). Running it twice changes nothing the second time."""
    should = set(ticket_attendants(ticket))
    holding = set(ticket_attendance_holders(ticket))
    granted, revoked = sorted(should - holding, key=str), sorted(holding - should, key=str)
    for engineer in granted:
        assign_perm(ATTEND_TICKET, engineer, ticket)
        _audit(ticket, engineer, "granted", by)
    for engineer in revoked:
        remove_perm(ATTEND_TICKET, engineer, ticket)
        _audit(ticket, engineer, "revoked", by)
    if granted:
        notify(
            granted,
            title=gettext_lazy("Repair ticket %(number)s was sent to your company"),
            params={"number": ticket.number},
            body=f"{ticket.device_label} · {ticket.description[:200]}",
            url=ticket_url(ticket),
        )
    return granted, revoked


def _audit(ticket, engineer, change, by):
    audit.record(
        audit.Kind.PERMISSION_CHANGE,
        user=by,
        what=f"{ticket}: {engineer}",
        detail={"attend_ticket": change, "ticket": ticket.pk, "engineer": engineer.pk},
    )


def ticket_url(ticket):
    """The engineer's page of ``ticket`` (never the hospital's ticket page, which is a 404 to them)."""
    return reverse("repairs:attended_ticket", args=[ticket.pk])


def attended_ticket_refusal(*, ticket: RepairTicket, by) -> str | None:
    """Why ``by`` may not add a note to ``ticket``, or ``None``."""
    if not has_role(by, OutsideRole.VENDOR_ENGINEER) or not hasattr(by, "vendor_engineer"):
        return _("Only the vendor's engineers add notes here.")
    if not attended_tickets(by).filter(pk=ticket.pk).exists():
        return _("This ticket is not with your company.")
    return None


@transaction.atomic
def vendor_note_add(*, ticket: RepairTicket, by, text: str, photos=()) -> VendorNote:
    """A vendor engineer's note on a ticket they attend, with photos (images only), labelled with their company."""
    ticket = RepairTicket.objects.select_for_update().get(pk=ticket.pk)
    refusal = attended_ticket_refusal(ticket=ticket, by=by)
    if refusal:
        raise ActionRefused(refusal)
    text = (text or "").strip()
    if not text:
        raise ActionRefused(_("Write what was found or done."))
    for photo in photos:
        refusal = photo_refusal(photo)
        if refusal:
            raise ActionRefused(refusal)
    note = VendorNote.objects.create(ticket=ticket, vendor=by.vendor_engineer.vendor, author=by, text=text)
    if photos:
        attach(note, photos, by=by)
    return note


def photo_refusal(upload) -> str | None:
    """Why ``upload`` is not a photo the portal keeps (its type read from its bytes), or ``None``."""
    try:
        mime = getattr(upload, "portal_mime", None) or detect_mime(upload)
    except ValidationError as error:
        return " ".join(error.messages)
    if not mime.startswith("image/"):
        return _("“%(name)s” is not a photo: JPEG, PNG, GIF or WebP images only.") % {"name": upload.name}
    return None


def notes_with_photos(ticket):
    """The vendor engineers' notes on ``ticket``, oldest first, each with ``photos`` (its attachments): two queries."""
    notes = list(VendorNote.objects.filter(ticket=ticket).select_related("vendor", "author"))
    photos = {}
    for photo in Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(VendorNote), object_id__in=[note.pk for note in notes]
    ):
        photos.setdefault(photo.object_id, []).append(photo)
    for note in notes:
        note.photos = photos.get(note.pk, [])
    return notes
