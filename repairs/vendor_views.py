"""Vendors and their engineers: IT's register of them, and the engineer's own pages (the tickets sent to their
company, each with what the repair needs, and their notes and photos). Everything else is a 404 to an engineer
(``portal.middleware.ConfinedRoleMiddleware``)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView

from portal.permissions import RoleRequiredMixin, VisibleQuerysetMixin
from portal.roles import OutsideRole
from portal.views.generic import ObjectDetailView, ServiceActionView, ServiceFormView, ServiceObjectFormView
from portal.workflow import transition_log

from . import forms, vendors
from .models import RepairTicket, Vendor, VendorEngineer
from .models.vendors import attended_tickets
from .permissions import VENDOR_REGISTRARS


class VendorListView(RoleRequiredMixin, VisibleQuerysetMixin, ListView):
    model = Vendor
    allowed_roles = VENDOR_REGISTRARS
    template_name = "repairs/vendor_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(
                engineer_count=Count("engineers", distinct=True),
                open_count=Count("tickets", filter=~Q(tickets__state__in=RepairTicket.DONE_STATES), distinct=True),
            )
        )


class VendorCreateView(ServiceFormView):
    form_class = forms.VendorForm
    allowed_roles = VENDOR_REGISTRARS
    title = gettext_lazy("Register a vendor")
    success_message = gettext_lazy("The vendor is registered.")

    def perform(self, form):
        return vendors.vendor_save(by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.result.get_absolute_url()


class VendorEditView(ServiceObjectFormView):
    model = Vendor
    form_class = forms.VendorForm
    allowed_roles = VENDOR_REGISTRARS

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def perform(self, form):
        return vendors.vendor_save(by=self.request.user, vendor=self.object, **form.cleaned_data)


class VendorDetailView(ObjectDetailView):
    model = Vendor
    allowed_roles = VENDOR_REGISTRARS
    template_name = "repairs/vendor_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["engineers"] = list(self.object.engineers.select_related("user", "registered_by"))
        context["open_tickets"] = list(
            self.object.tickets.exclude(state__in=RepairTicket.DONE_STATES).select_related("department")
        )
        return context


class EngineerRegisterView(ServiceObjectFormView):
    """A login for an engineer of this vendor; they attend the vendor's open tickets at once."""

    model = Vendor
    form_class = forms.EngineerForm
    allowed_roles = VENDOR_REGISTRARS
    title = gettext_lazy("Register a vendor engineer")
    success_message = gettext_lazy("The engineer's login is made: they change the initial password at first sign-in.")

    def perform(self, form):
        return vendors.engineer_register(by=self.request.user, vendor=self.object, **form.cleaned_data)


class EngineerDeactivateView(ServiceActionView):
    model = VendorEngineer
    allowed_roles = VENDOR_REGISTRARS
    success_message = gettext_lazy("The engineer's login is closed and their tickets are taken from them.")

    def act(self, obj):
        return vendors.engineer_deactivate(engineer=obj, by=self.request.user)

    def get_success_url(self):
        return self.object.vendor.get_absolute_url()


class AttendedMixin(RoleRequiredMixin):
    """An engineer's page: only the tickets the portal gave them ``attend_ticket`` on, anything else a 404."""

    model = RepairTicket
    allowed_roles = (OutsideRole.VENDOR_ENGINEER,)

    def get_queryset(self):
        return attended_tickets(self.request.user).select_related("equipment__category", "vendor_company")


class AttendedListView(AttendedMixin, ListView):
    template_name = "repairs/attended_list.html"
    context_object_name = "tickets"

    def get_queryset(self):
        return super().get_queryset().order_by("-pk")


class AttendedTicketView(AttendedMixin, DetailView):
    """What the repair needs (fault, device, location, the steps so far) and the notes; no one's name or phone."""

    template_name = "repairs/attended_ticket.html"
    context_object_name = "ticket"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["log"] = transition_log(self.object)
        context["notes"] = vendors.notes_with_photos(self.object)
        context["form"] = forms.VendorNoteForm()
        return context


class AttendedNoteView(AttendedMixin, ServiceObjectFormView):
    form_class = forms.VendorNoteForm
    title = gettext_lazy("Add a note")
    success_message = gettext_lazy("Your note is added to the ticket.")

    def refusal(self, obj):
        return vendors.attended_ticket_refusal(ticket=obj, by=self.request.user)

    def perform(self, form):
        return vendors.vendor_note_add(ticket=self.object, by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("repairs:attended_ticket", args=[self.object.pk])
