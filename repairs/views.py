"""The repair pages: the queues, filing, the ticket page, its steps and forms, its PDFs, the limits."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView

from inspections.models import RoundResult, TemplateItem
from inventory.models import Equipment
from portal.exports import table_dataset
from portal.params import int_param
from portal.pdf import pdf_response, render_pdf
from portal.permissions import RoleRequiredMixin, VisibleQuerysetMixin
from portal.qr import qr_data_uri
from portal.roles import IT_ROLES
from portal.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    ServiceActionView,
    ServiceFormView,
    ServiceObjectFormView,
    TransitionView,
)
from portal.workflow import refusal

from . import forms, permissions, selectors, services
from .filters import TicketFilter
from .models import FaultCategory, RepairSettings, RepairTicket
from .tables import TicketTable
from .vendors import notes_with_photos

PAGE_SIZE = 50
# The fault category a ticket from an inspection finding starts with, by the item's group.
INSPECTION_GROUP_CATEGORY = {
    TemplateItem.Group.NETWORK_DEVICES: FaultCategory.NETWORK,
    TemplateItem.Group.NETWORK_CHANNELS: FaultCategory.NETWORK,
    TemplateItem.Group.WORKSTATION_SOFTWARE: FaultCategory.SOFTWARE,
    TemplateItem.Group.SECURITY: FaultCategory.SOFTWARE,
}
# Queue tabs: name, label, who sees the tab (a repairs.permissions predicate; None: everybody).
QUEUES = [
    ("all", gettext_lazy("All"), None),
    ("unassigned", gettext_lazy("To dispatch"), permissions.may_work_tickets),
    ("mine", gettext_lazy("Mine"), permissions.may_work_tickets),
    ("breaching", gettext_lazy("Past the limit"), permissions.may_work_tickets),
    ("department", gettext_lazy("My department"), None),
    ("to_confirm", gettext_lazy("To confirm"), None),
    ("parts_to_approve", gettext_lazy("Parts to approve"), permissions.may_approve_parts),
    ("failure_report", gettext_lazy("Failure report due"), permissions.may_work_tickets),
]
# The queue tabs that show how many tickets wait in them.
COUNTED_QUEUES = ("unassigned", "mine", "breaching", "to_confirm", "parts_to_approve")


def _queue(queryset, name, user):
    if name == "unassigned":
        return queryset.filter(state=RepairTicket.State.SUBMITTED)
    if name == "mine":
        return queryset.filter(assignee=user, state__in=RepairTicket.UNRESOLVED_STATES)
    if name == "breaching":
        return queryset.breaching()
    if name == "department":
        return queryset.filter(department_id=user.department_id)
    if name == "to_confirm":
        return queryset.filter(state=RepairTicket.State.REPAIRED, department_id=user.department_id)
    if name == "parts_to_approve":
        return queryset.filter(selectors.parts_to_approve(user)).distinct()
    if name == "failure_report":
        return queryset.filter(pk__in=selectors.failure_reports_missing().values("pk"))
    return queryset


class TicketListView(ObjectListView):
    """The queues. Pages are keyset pages on the id (newest first): no COUNT(*) and no OFFSET at any depth."""

    model = RepairTicket
    queryset = RepairTicket.objects.select_related("department", "equipment", "assignee")
    filterset_class = TicketFilter
    table_class = TicketTable
    paginate_by = None
    title = gettext_lazy("Repair tickets")
    template_name = "repairs/ticket_list.html"

    def queues(self):
        return [(name, label) for name, label, may in QUEUES if may is None or may(self.request.user)]

    def get_queue(self):
        name = self.request.GET.get("queue", "all")
        return name if name in dict(self.queues()) else "all"

    def tickets(self):
        return _queue(self.object_list, self.get_queue(), self.request.user)

    def get_table_data(self):
        tickets = self.tickets()
        before, after = int_param(self.request.GET, "before"), int_param(self.request.GET, "after")
        if after is not None:
            rows = list(tickets.filter(pk__gt=after).order_by("pk")[: PAGE_SIZE + 1])
            self.has_newer = len(rows) > PAGE_SIZE
            rows = rows[:PAGE_SIZE][::-1]
            self.has_older = True
        else:
            if before is not None:
                tickets = tickets.filter(pk__lt=before)
            rows = list(tickets.order_by("-pk")[: PAGE_SIZE + 1])
            self.has_older = len(rows) > PAGE_SIZE
            rows = rows[:PAGE_SIZE]
            self.has_newer = before is not None
        self.rows = rows
        return rows

    def export_dataset(self, title):
        """The whole queue as filtered, newest first, not one keyset page."""
        return table_dataset(self.get_table_class()(self.tickets().order_by("-pk")), title)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = selectors.queue_counts(self.request.user)
        context["queues"] = [
            (name, label, counts[name] if name in COUNTED_QUEUES else None) for name, label in self.queues()
        ]
        context["queue"] = self.get_queue()
        query = self.request.GET.copy()
        for key in ("before", "after"):
            query.pop(key, None)
        context["base_query"] = query.urlencode()
        context["older"] = self.rows[-1].pk if self.has_older and self.rows else None
        context["newer"] = self.rows[0].pk if self.has_newer and self.rows else None
        return context


class TicketCreateView(ServiceFormView):
    """报修: the filing form, from scratch, from a device page (``?asset=``) or from an inspection finding."""

    form_class = forms.TicketForm
    template_name = "repairs/ticket_form.html"
    success_message = gettext_lazy("Your repair ticket is filed. IT has been told.")

    def get_inspection_result(self):
        result_id = int_param(self.request.GET, "inspection_result")
        if result_id is None:
            return None
        if not permissions.may_work_tickets(self.request.user):
            raise PermissionDenied
        return get_object_or_404(
            RoundResult.objects.visible_to(self.request.user).select_related("round__room", "item"), pk=result_id
        )

    def get_device(self):
        """The device whose page's 报修 link was followed (``?asset=``), if the user may see it."""
        asset_no = forms.asset_no_from_scan(self.request.GET.get("asset", ""))
        return Equipment.objects.visible_to(self.request.user).filter(asset_no=asset_no).first() if asset_no else None

    def get(self, request, *args, **kwargs):
        result = self.get_inspection_result()
        ticket = result and result.repair_tickets.exclude(state=RepairTicket.State.CANCELLED).first()
        if ticket is not None:
            messages.info(request, _("This finding is already reported as %(number)s.") % {"number": ticket.number})
            return redirect(ticket)
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        """From a device page: that device. From an inspection finding: what was found where, the device left to IT."""
        initial = super().get_initial()
        device = self.get_device()
        if device is not None:
            initial["asset_no"] = device.asset_no
            if permissions.may_work_tickets(self.request.user):
                initial["department"] = device.department_id
        result = self.get_inspection_result()
        if result is not None:
            room = result.round.room
            finding = _("Inspection %(round)s, %(item)s: %(finding)s.") % {
                "round": result.round,
                "item": result.item.label,
                "finding": result.finding_label,
            }
            initial.update(
                description="\n".join(part for part in (finding, result.description.strip()) if part),
                location=" ".join(part for part in (room.name, room.location) if part) if room else "",
                category=INSPECTION_GROUP_CATEGORY.get(result.item.group, FaultCategory.HARDWARE),
            )
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["inspection_result"] = self.get_inspection_result()
        return context

    def perform(self, form):
        data = form.cleaned_data
        return services.ticket_file(
            by=self.request.user,
            department=data["department"],
            contact_phone=data["contact_phone"],
            equipment=data.get("equipment"),
            device_description=data.get("device_description", ""),
            location=data.get("location", ""),
            category=data["category"],
            description=data["description"],
            fault_class=data.get("fault_class", ""),
            inspection_result=self.get_inspection_result(),
            photos=data.get("photos") or (),
        )

    def get_success_url(self):
        return self.result.get_absolute_url()


class TicketDetailView(ObjectDetailView):
    model = RepairTicket
    queryset = RepairTicket.objects.select_related(
        "department",
        "reporter",
        "assignee",
        "repaired_by",
        "confirmed_by",
        "equipment__category",
        "spare_loan__spare",
        "inspection_result",
        "path_override_by",
        "vendor_company",
    )
    template_name = "repairs/ticket_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ticket = self.object
        context["parts"] = list(ticket.parts.select_related("approved_by"))
        context["escalations"] = list(ticket.escalations.all())
        context["notices"] = list(ticket.notices.all())
        context["coordinating_departments"] = (
            list(RepairSettings.current().insurance_departments.all()) if ticket.is_insurance_fault else []
        )
        context["failure_report"] = getattr(ticket, "failure_report", None) if ticket.failure_report_due else None
        context["milestones"] = ticket.manual_fallback()
        context["vendor_notes"] = notes_with_photos(ticket)
        context["now"] = timezone.now()
        return context


class TicketActionView(TransitionView):
    model = RepairTicket
    forms = {
        "dispatch": forms.DispatchForm,
        "wait_vendor": forms.WaitVendorForm,
        "repair": forms.RepairForm,
        "confirm": forms.ConfirmForm,
        "reopen": forms.ReasonForm,
        "cancel": forms.ReasonForm,
        "reclassify": forms.ReclassifyForm,
        "close_unconfirmed": forms.ReasonForm,
    }

    def run(self, obj, action, **arguments):
        return services.ticket_transition(obj, action, by=self.request.user, **arguments)


class TicketFormView(ServiceObjectFormView):
    """A form about one ticket that is not a transition: ``refusal_of(user, ticket)`` says why it cannot be
    used now, and ``service(ticket=..., by=..., **cleaned_data)`` does it. IT's role is asked before the
    ticket is looked up."""

    model = RepairTicket
    allowed_roles = IT_ROLES
    template_name = "repairs/ticket_step_form.html"
    refusal_of = None
    service = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.permits(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def refusal(self, obj):
        return self.refusal_of(self.request.user, obj)

    def perform(self, form):
        return self.service(ticket=self.object, by=self.request.user, **form.cleaned_data)


class WaitPartsView(TicketFormView):
    """等待配件 with the parts request lines the department's head approves."""

    form_class = forms.PartsRequestForm
    title = gettext_lazy("Wait for parts")
    success_message = gettext_lazy("Parts requested; the department head is asked to approve them.")

    @staticmethod
    def refusal_of(user, ticket):
        return refusal(ticket, "wait_parts", user)

    def get_formset(self):
        if not hasattr(self, "formset"):
            data = self.request.POST if self.request.method == "POST" else None
            self.formset = forms.PartLineFormSet(data, prefix="parts")
        return self.formset

    def get_context_data(self, **kwargs):
        return super().get_context_data(formset=self.get_formset(), **kwargs)

    def form_valid(self, form):
        if not self.get_formset().is_valid():
            return self.form_invalid(form)
        return super().form_valid(form)

    def perform(self, form):
        lines = [line for line in self.get_formset().cleaned_data if line]
        return services.ticket_wait_parts(
            ticket=self.object,
            by=self.request.user,
            lines=lines,
            comment=form.cleaned_data["comment"],
            override_reason=form.cleaned_data["override_reason"],
        )


class LendSpareView(TicketFormView):
    form_class = forms.LendSpareForm
    title = gettext_lazy("Lend a spare machine")
    success_message = gettext_lazy("The spare machine is lent and registered.")
    refusal_of = staticmethod(permissions.lend_spare_refusal)
    service = staticmethod(services.ticket_lend_spare)


class KeepSpareView(TicketFormView):
    """The lent spare stays with the department for good: a swap on the ledger, so the ticket may close."""

    form_class = forms.KeepSpareForm
    title = gettext_lazy("Keep the spare machine as a permanent swap")
    success_message = gettext_lazy("The spare machine now replaces the device on the ledger.")
    refusal_of = staticmethod(permissions.keep_spare_refusal)
    service = staticmethod(services.ticket_keep_spare)


class FailureReportView(TicketFormView):
    form_class = forms.FailureReportForm
    title = gettext_lazy("Failure report")
    success_message = gettext_lazy("The failure report is filed and sent to the leaders.")
    refusal_of = staticmethod(permissions.failure_report_refusal)
    service = staticmethod(services.failure_report_file)


class ReturnSpareView(ServiceActionView):
    model = RepairTicket
    allowed_roles = IT_ROLES
    success_message = gettext_lazy("The spare machine is back in the pool.")

    def act(self, obj):
        return services.ticket_return_spare(ticket=obj, by=self.request.user)


class TicketPdfView(RoleRequiredMixin, VisibleQuerysetMixin, DetailView):
    """The repair form (维修单) or the repair tag (待修标签), with a QR code back to the ticket."""

    model = RepairTicket
    queryset = RepairTicket.objects.select_related(
        "department", "reporter", "assignee", "repaired_by", "confirmed_by", "equipment"
    )
    pdf_template = "repairs/pdf/repair_form.html"
    filename = "{number}.pdf"

    def get(self, request, *args, **kwargs):
        ticket = self.get_object()
        url = request.build_absolute_uri(ticket.get_absolute_url())
        pdf = render_pdf(
            self.pdf_template,
            {"ticket": ticket, "qr": qr_data_uri(url), "parts": list(ticket.parts.all()), "printed_at": timezone.now()},
        )
        return pdf_response(pdf, self.filename.format(number=ticket.number))


class TicketTagPdfView(TicketPdfView):
    pdf_template = "repairs/pdf/repair_tag.html"
    filename = "{number}-tag.pdf"


class TicketHistoryView(ObjectHistoryView):
    model = RepairTicket


class RepairSettingsView(ObjectEditView):
    model = RepairSettings
    form_class = forms.RepairSettingsForm
    allowed_roles = permissions.SETTINGS_ROLES
    template_name = "repairs/settings_form.html"

    def get_object(self, queryset=None):
        return RepairSettings.current()

    def get_success_url(self):
        return reverse("repairs:settings")
