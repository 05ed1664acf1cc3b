"""Vendors (维保厂商) and their engineers (维保工程师): the outside people a ticket in warranty is sent to, and the
notes they leave on it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import get_objects_for_user
from simple_history.models import HistoricalRecords

from portal.fields import AppendOnly, DetailPage, person
from portal.roles import is_confined
from portal.scoping import ScopedQuerySet

from ..permissions import READ_ALL_ROLES
from .ticket import RepairTicket

# The object permission a vendor engineer holds on each ticket sent to their company (given by repairs/vendors.py).
ATTEND_TICKET = "repairs.attend_ticket"


def attended_tickets(engineer):
    """The tickets ``engineer`` attends: those the portal gave them ``attend_ticket`` on, and no other."""
    return get_objects_for_user(engineer, ATTEND_TICKET, klass=RepairTicket, accept_global_perms=False)


class VendorQuerySet(ScopedQuerySet):
    """IT and those who read every ticket see the vendors; nobody else does."""

    read_all_roles = READ_ALL_ROLES


class Vendor(DetailPage, models.Model):
    """A company that repairs devices in warranty; its engineers attend the tickets sent to it."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    contact = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = VendorQuerySet.as_manager()

    detail_url = "repairs:vendor_detail"

    class Meta:
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")
        ordering = ["name"]

    def __str__(self):
        return self.name


class VendorEngineer(models.Model):
    """The login of an engineer of ``vendor``: a local account holding the vendor engineer role, and nothing else."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vendor_engineer", verbose_name=_("login")
    )
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="engineers", verbose_name=_("vendor"))
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)
    registered_by = person(_("registered by"))
    history = HistoricalRecords()

    objects = VendorQuerySet.as_manager()

    class Meta:
        verbose_name = _("vendor engineer")
        verbose_name_plural = _("vendor engineers")
        ordering = ["vendor", "user__full_name"]

    def __str__(self):
        return f"{self.user} ({self.vendor})"


class VendorNoteQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The notes of the tickets ``user`` sees, or, for a vendor engineer, of the tickets they attend."""
        if not user.is_authenticated:
            return self.none()
        tickets = attended_tickets(user) if is_confined(user) else RepairTicket.objects.visible_to(user)
        return self.filter(ticket__in=tickets.values("pk"))


class VendorNote(AppendOnly, models.Model):
    """A note (and its photos, as attachments) a vendor engineer adds to a ticket, kept with the company they
    were with at the time."""

    ticket = models.ForeignKey(
        RepairTicket, on_delete=models.CASCADE, related_name="vendor_notes", verbose_name=_("ticket")
    )
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="notes", verbose_name=_("vendor"))
    author = person(_("engineer"))
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)

    objects = VendorNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("vendor engineer's note")
        verbose_name_plural = _("vendor engineers' notes")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.ticket} · {self.vendor} · {self.author}"
