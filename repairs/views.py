from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View
from django.views.generic.detail import SingleObjectMixin
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from inspections.models import RoundResult, TemplateItem
from inventory.labels import qr_data_uri
from inventory.models import Equipment
from portal.exceptions import ActionRefused
from portal.params import int_param
from portal.pdf import render_pdf
from portal.permissions import RoleRequiredMixin, VisibleQuerysetMixin
from portal.roles import Role, has_role
from portal.views.generic import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    TransitionView,
)

from . import forms, selectors, services
from .filters import TicketFilter
from .models import IT_ROLES, FaultCategory, RepairSettings, RepairTicket
from .tables import TicketTable

PAGE_SIZE = 50
# The fault category a ticket from an inspection finding starts with, by the item's group.
INSPECTION_GROUP_CATEGORY = {
    TemplateItem.Group.NETWORK_DEVICES: FaultCategory.NETWORK,
    TemplateItem.Group.NETWORK_CHANNELS: FaultCategory.NETWORK,
    TemplateItem.Group.WORKSTATION_SOFTWARE: FaultCategory.SOFTWARE,
    TemplateItem.Group.SECURITY: FaultCategory.SOFTWARE,
}
# Queue tabs: name, label, who sees the tab.
QUEUES = [
    ("all", gettext_lazy("All"), None),
    ("unassigned", gettext_lazy("To dispatch"), IT_ROLES),
    ("mine", gettext_lazy("Mine"), IT_ROLES),
    ("breaching", gettext_lazy("Past the limit"), IT_ROLES),
    ("department", gettext_lazy("My department"), None),
    ("to_confirm", gettext_lazy("To confirm"), None),
    ("parts_to_approve", gettext_lazy("Parts to approve"), (Role.DEPT_HEAD,)),
    ("failure_report", gettext_lazy("Failure report due"), IT_ROLES),
]


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


class TicketListView(RoleRequiredMixin, VisibleQuerysetMixin, SingleTableMixin, FilterView):
    """The queues. Pages are keyset pages on the id (newest first): no COUNT(*) and no OFFSET at any depth."""

    model = RepairTicket
    queryset = RepairTicket.objects.select_related("department", "equipment", "assignee")
    filterset_class = TicketFilter
    table_class = TicketTable
    table_pagination = False
    template_name = "repairs/ticket_list.html"

    def get_queue(self):
        name = self.request.GET.get("queue", "all")
        allowed = {queue for queue, label, roles in QUEUES if roles is None or has_role(self.request.user, *roles)}
        return name if name in allowed else "all"

    def get_table_data(self):
        tickets = _queue(self.object_list, self.get_queue(), self.request.user)
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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        counts = selectors.queue_counts(user)
        counts["department"] = None
        counts["all"] = None
        counts["failure_report"] = None
        queue = self.get_queue()
        context["queues"] = [
            (name, label, counts.get(name)) for name, label, roles in QUEUES if roles is None or has_role(user, *roles)
        ]
        context["queue"] = queue
        query = self.request.GET.copy()
        for key in ("before", "after"):
            query.pop(key, None)
        context["base_query"] = query.urlencode()
        context["older"] = self.rows[-1].pk if self.has_older and self.rows else None
        context["newer"] = self.rows[0].pk if self.has_newer and self.rows else None
        return context


class TicketCreateView(ObjectCreateView):
    model = RepairTicket
    form_class = forms.TicketForm
    template_name = "repairs/ticket_form.html"
    success_message = gettext_lazy("Your repair ticket is filed. IT has been told.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def get_inspection_result(self):
        result_id = int_param(self.request.GET, "inspection_result")
        if result_id is None:
            return None
        if not has_role(self.request.user, *IT_ROLES):
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
            if has_role(self.request.user, *IT_ROLES):
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

    def save_form(self, form):
        data = form.cleaned_data
        self.object = services.ticket_file(
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
        return redirect(self.object)


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
    )
    template_name = "repairs/ticket_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ticket, user = self.object, self.request.user
        is_it = has_role(user, *IT_ROLES)
        context["is_it"] = is_it
        context["parts"] = list(ticket.parts.select_related("approved_by"))
        context["escalations"] = list(ticket.escalations.all())
        context["failure_report_due"] = services.failure_report_due(ticket)
        context["failure_report"] = getattr(ticket, "failure_report", None) if context["failure_report_due"] else None
        context["spare_out"] = services.spare_still_out(ticket)
        context["may_lend_spare"] = (
            is_it
            and context["spare_out"] is None
            and ticket.state in (RepairTicket.State.DISPATCHED, *RepairTicket.IN_HAND_STATES)
        )
        context["milestones"] = ticket.manual_fallback()
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
    }

    def run(self, obj, action, **arguments):
        ticket = services.ticket_transition(ticket=obj, action=action, by=self.request.user, **arguments)
        loan = services.spare_still_out(ticket)
        if action == "close" and loan is not None:
            messages.warning(
                self.request, _("Spare machine %(asset)s is still lent: take it back.") % {"asset": loan.spare.asset_no}
            )
        return ticket


class TicketObjectMixin(RoleRequiredMixin, VisibleQuerysetMixin, SingleObjectMixin):
    model = RepairTicket
    template_name = "repairs/ticket_step_form.html"

    def render_form(self, title, form, **extra):
        return render(self.request, self.template_name, {"object": self.object, "title": title, "form": form, **extra})


class WaitPartsView(TicketObjectMixin, View):
    """等待配件 with the parts request lines the department's head approves."""

    allowed_roles = IT_ROLES
    title = gettext_lazy("Wait for parts")

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_form(self.title, forms.ReasonForm(), formset=forms.PartLineFormSet(prefix="parts"))

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = forms.ReasonForm(request.POST)
        form.fields["comment"].required = False
        formset = forms.PartLineFormSet(request.POST, prefix="parts")
        if form.is_valid() and formset.is_valid():
            try:
                services.ticket_wait_parts(
                    ticket=self.object,
                    by=request.user,
                    lines=[line for line in formset.cleaned_data if line],
                    comment=form.cleaned_data["comment"],
                )
            except ActionRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("Parts requested; the department head is asked to approve them."))
                return redirect(self.object)
        return self.render_form(self.title, form, formset=formset)


class LendSpareView(TicketObjectMixin, View):
    allowed_roles = IT_ROLES
    title = gettext_lazy("Lend a spare machine")

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_form(self.title, forms.LendSpareForm())

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = forms.LendSpareForm(request.POST)
        if form.is_valid():
            try:
                services.ticket_lend_spare(ticket=self.object, by=request.user, **form.cleaned_data)
            except ActionRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The spare machine is lent and registered."))
                return redirect(self.object)
        return self.render_form(self.title, form)


class ReturnSpareView(TicketObjectMixin, View):
    allowed_roles = IT_ROLES

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        try:
            services.ticket_return_spare(ticket=self.object, by=request.user)
        except ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The spare machine is back in the pool."))
        return redirect(self.object)


class FailureReportView(TicketObjectMixin, View):
    allowed_roles = IT_ROLES
    title = gettext_lazy("Failure report")

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_form(self.title, forms.FailureReportForm())

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = forms.FailureReportForm(request.POST)
        if form.is_valid():
            try:
                services.failure_report_file(ticket=self.object, by=request.user, **form.cleaned_data)
            except ActionRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The failure report is filed and sent to the leaders."))
                return redirect(self.object)
        return self.render_form(self.title, form)


class TicketPdfView(TicketObjectMixin, View):
    """The repair form (维修单) or the repair tag (待修标签), with a QR code back to the ticket."""

    pdf_template = "repairs/pdf/repair_form.html"
    filename = "{number}.pdf"

    def get(self, request, *args, **kwargs):
        ticket = get_object_or_404(
            self.get_queryset().select_related(
                "department", "reporter", "assignee", "repaired_by", "confirmed_by", "equipment"
            ),
            pk=kwargs["pk"],
        )
        url = request.build_absolute_uri(ticket.get_absolute_url())
        pdf = render_pdf(
            self.pdf_template,
            {"ticket": ticket, "qr": qr_data_uri(url), "parts": list(ticket.parts.all()), "printed_at": timezone.now()},
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{self.filename.format(number=ticket.number)}"'
        return response


class TicketTagPdfView(TicketPdfView):
    pdf_template = "repairs/pdf/repair_tag.html"
    filename = "{number}-tag.pdf"


class TicketHistoryView(ObjectHistoryView):
    model = RepairTicket


class RepairSettingsView(ObjectEditView):
    model = RepairSettings
    form_class = forms.RepairSettingsForm
    allowed_roles = (Role.IT_HEAD,)
    template_name = "repairs/settings_form.html"

    def get_object(self, queryset=None):
        return RepairSettings.current()

    def get_success_url(self):
        return reverse("repairs:settings")
