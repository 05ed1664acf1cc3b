"""Ledger pages: equipment, racks, configuration changes, spare loans and stocktakes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import View

from portal.attachments import attach
from portal.exceptions import ActionRefused
from portal.exports import rows_dataset
from portal.pdf import pdf_response, render_pdf
from portal.permissions import RoleRequiredMixin
from portal.roles import IT_ROLES
from portal.views.generic import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    ServiceActionView,
    ServiceFormView,
    ServiceObjectFormView,
    TransitionView,
)

from . import selectors, services
from .filters import EquipmentFilter, SpareLoanFilter, StocktakeFilter
from .forms import (
    EQUIPMENT_FIELDS,
    CloseStocktakeForm,
    ConfigChangeForm,
    CountForm,
    EquipmentForm,
    InstallForm,
    IssueForm,
    RackForm,
    RequiredCommentForm,
    SpareLoanForm,
    StocktakeForm,
    SwapForm,
    TransferForm,
)
from .labels import device_qr
from .models import ConfigChange, Equipment, Rack, SpareLoan, Stocktake, StocktakeItem
from .permissions import (
    APPROVERS,
    CHANGE_READERS,
    COUNTERS,
    PART_APPROVERS,
    READ_ALL_ROLES,
    STOCKTAKE_READERS,
    may_count,
    may_count_now,
    may_manage_ledger,
)
from .tables import ConfigChangeTable, EquipmentTable, RackTable, SpareLoanTable, StocktakeTable

# Steps taken from another page (swap in through swap, lending through the loan register).
INDIRECT_ACTIONS = {"swap_in", "lend", "loan_return"}


class StepView(TransitionView):
    """A transition page of the ledger: run through ``services.take_step``, the app's one entry point."""

    def run(self, obj, action, **arguments):
        return services.take_step(obj, action, by=self.request.user, **arguments)


# Equipment


class EquipmentListView(ObjectListView):
    model = Equipment
    filterset_class = EquipmentFilter
    table_class = EquipmentTable
    template_name = "inventory/equipment_list.html"
    title = gettext_lazy("Equipment ledger")
    create_url = reverse_lazy("inventory:equipment_create")
    export_name = "equipment"

    def get_queryset(self):
        return super().get_queryset().select_related("category", "department", "custodian")

    def filtered(self):
        filterset = self.get_filterset(self.get_filterset_class())
        return filterset.qs if filterset.is_valid() else filterset.queryset.none()

    def export_dataset(self, title):
        """The filtered list in the import template's columns, so an export can be edited and imported back."""
        headers, rows = selectors.ledger_table(self.filtered().order_by("asset_no"))
        return rows_dataset(headers, rows, title)


class EquipmentFormView:
    """Register or edit a device through its service, with its photos and attachments."""

    model = Equipment
    form_class = EquipmentForm
    allowed_roles = IT_ROLES

    def save_form(self, form):
        fields = {name: form.cleaned_data[name] for name in EQUIPMENT_FIELDS}
        self.object = form.instance = self.save_device(fields)
        attach(self.object, form.cleaned_data["attachments"], by=self.request.user)
        return HttpResponseRedirect(self.object.get_absolute_url())


class EquipmentCreateView(EquipmentFormView, ObjectCreateView):
    def save_device(self, fields):
        return services.equipment_register(by=self.request.user, **fields)


class EquipmentEditView(EquipmentFormView, ObjectEditView):
    def save_device(self, fields):
        return services.equipment_update(equipment=self.get_object(), by=self.request.user, **fields)


class EquipmentDetailView(ObjectDetailView):
    model = Equipment
    template_name = "inventory/equipment_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("category", "department", "custodian", "rack")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        device = self.object
        context["actions"] = [a for a in context["actions"] if a.name not in INDIRECT_ACTIONS]
        context["action_url_name"] = "inventory:equipment_action"
        context["ledger"] = device.ledger.select_related(
            "actor", "from_department", "to_department", "related_equipment"
        ).order_by("created_at", "id")
        context["loans"] = device.loans.select_related("department", "handler")[:20]
        context["changes"] = device.config_changes.select_related("operator", "approver")[:50]
        context["qr"] = device_qr(device)
        return context


class EquipmentByAssetView(RoleRequiredMixin, View):
    """Where a label's QR code points: the device page, found by asset number."""

    def get(self, request, asset_no):
        device = get_object_or_404(Equipment.objects.visible_to(request.user), asset_no=asset_no.upper())
        return redirect(device)


class EquipmentHistoryView(ObjectHistoryView):
    model = Equipment


class EquipmentActionView(StepView):
    """POST equipment/<pk>/<action>/: one lifecycle step, which writes the device's ledger entry."""

    model = Equipment
    allowed_roles = IT_ROLES
    forms = {
        "issue": IssueForm,
        "install": InstallForm,
        "transfer": TransferForm,
        "swap": SwapForm,
        "send_to_repair": RequiredCommentForm,
        "request_scrap": RequiredCommentForm,
        "reject_scrap": RequiredCommentForm,
    }

    def get_action(self):
        device, action = super().get_action()
        if action in INDIRECT_ACTIONS:
            raise Http404
        return device, action


# Racks


class RackListView(ObjectListView):
    model = Rack
    table_class = RackTable
    allowed_roles = READ_ALL_ROLES
    title = gettext_lazy("Racks")
    create_url = reverse_lazy("inventory:rack_create")

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(used_u=Sum("equipment__height_u"), devices=Count("equipment"))
            .order_by("room", "name")
        )


class RackCreateView(ObjectCreateView):
    model = Rack
    form_class = RackForm
    allowed_roles = IT_ROLES


class RackEditView(ObjectEditView):
    model = Rack
    form_class = RackForm
    allowed_roles = IT_ROLES


class RackDetailView(ObjectDetailView):
    """The rack's front view, top U first, drawn from the devices' positions."""

    model = Rack
    allowed_roles = READ_ALL_ROLES
    template_name = "inventory/rack_detail.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **selectors.rack_elevation(self.object)}


# Configuration changes


class ConfigChangeListView(ObjectListView):
    model = ConfigChange
    table_class = ConfigChangeTable
    allowed_roles = CHANGE_READERS
    title = gettext_lazy("Configuration changes")
    filterset_fields = ["state", "kind"]

    def get_queryset(self):
        return super().get_queryset().select_related("equipment", "operator")


class ConfigChangeCreateView(ServiceObjectFormView):
    """Record a configuration change of the device at equipment/<pk>/changes/new/."""

    model = Equipment
    form_class = ConfigChangeForm
    allowed_roles = IT_ROLES
    title = gettext_lazy("New configuration change")

    def get_queryset(self):
        return super().get_queryset().select_related("category")

    def get_initial(self):
        return {"performed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}

    def perform(self, form):
        return services.config_change_record(equipment=self.object, by=self.request.user, **form.cleaned_data)

    def get_success_level(self):
        return messages.INFO if self.result.awaits_approval else messages.SUCCESS

    @property
    def success_message(self):
        return {
            ConfigChange.State.PENDING_APPROVAL: _(
                "Recorded. This parameter change counts as done once the IT head approves it."
            ),
            ConfigChange.State.PENDING_LEADER: _(
                "Recorded. This server part change counts as done once the leader in charge approves it."
            ),
        }.get(self.result.state, _("Recorded in the device's ledger."))

    def get_success_url(self):
        return self.result.get_absolute_url()


class ConfigChangeDetailView(ObjectDetailView):
    model = ConfigChange
    allowed_roles = CHANGE_READERS
    template_name = "inventory/change_detail.html"
    extra_context = {"action_url_name": "inventory:change_action"}


class ConfigChangeActionView(StepView):
    model = ConfigChange
    allowed_roles = (*APPROVERS, *PART_APPROVERS)
    forms = {"reject": RequiredCommentForm}


# Spare loans


class SpareLoanListView(ObjectListView):
    model = SpareLoan
    filterset_class = SpareLoanFilter
    table_class = SpareLoanTable
    template_name = "inventory/loan_list.html"
    title = gettext_lazy("Spare machine loans")
    create_url = reverse_lazy("inventory:loan_create")

    def get_queryset(self):
        return super().get_queryset().select_related("spare", "department", "borrower", "handler")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if may_manage_ledger(self.request.user):
            context["spare_pool"] = Equipment.objects.filter(status=Equipment.Status.SPARE).select_related("category")
        return context


class SpareLoanCreateView(ServiceFormView):
    form_class = SpareLoanForm
    allowed_roles = IT_ROLES
    success_message = gettext_lazy("The spare machine is lent.")

    def get_initial(self):
        return {"spare": self.request.GET.get("spare")}

    def perform(self, form):
        return services.spare_loan_create(by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.result.get_absolute_url()


class SpareLoanDetailView(ObjectDetailView):
    model = SpareLoan
    template_name = "inventory/loan_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("spare", "department", "borrower", "handler", "returned_to")


class SpareLoanReturnView(ServiceActionView):
    model = SpareLoan
    allowed_roles = IT_ROLES
    success_message = gettext_lazy("The spare machine is back in the pool.")

    def act(self, loan):
        return services.spare_loan_return(loan=loan, by=self.request.user)


# Stocktakes


class StocktakeListView(ObjectListView):
    model = Stocktake
    filterset_class = StocktakeFilter
    table_class = StocktakeTable
    allowed_roles = STOCKTAKE_READERS
    title = pgettext_lazy("page name", "Stocktakes")
    create_url = reverse_lazy("inventory:stocktake_create")

    def get_queryset(self):
        return super().get_queryset().select_related("department", "custodian", "opened_by")


class StocktakeCreateView(ServiceFormView):
    form_class = StocktakeForm
    title = gettext_lazy("New stocktake")
    allowed_roles = IT_ROLES

    def get_initial(self):
        return {
            key: self.request.GET.get(key) for key in ("scope", "department", "custodian") if key in self.request.GET
        }

    def perform(self, form):
        return services.stocktake_open(by=self.request.user, **form.cleaned_data)

    @property
    def success_message(self):
        return _("Stocktake opened: %(n)s devices on the book to count.") % {"n": self.result.expected_count}

    def get_success_url(self):
        return self.result.get_absolute_url()


class StocktakeDetailView(ObjectDetailView):
    model = Stocktake
    allowed_roles = STOCKTAKE_READERS
    template_name = "inventory/stocktake_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stocktake = self.object
        context.update(selectors.stocktake_summary(stocktake))
        context["action_url_name"] = "inventory:stocktake_action"
        context["may_count"] = may_count_now(self.request.user, stocktake)
        context["pending"] = stocktake.items.filter(result=StocktakeItem.Result.PENDING).select_related(
            "equipment__category"
        )[:300]
        return context


class StocktakeScanView(ServiceObjectFormView):
    """Count items by phone camera (the browser's BarcodeDetector) or by typing the asset number."""

    model = Stocktake
    allowed_roles = COUNTERS
    form_class = CountForm
    template_name = "inventory/stocktake_scan.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stocktake = self.object
        context["stocktake"] = stocktake
        context["may_count"] = may_count_now(self.request.user, stocktake)
        context["recent"] = (
            stocktake.items.exclude(counted_at=None).select_related("equipment").order_by("-counted_at")[:10]
        )
        context.update(selectors.stocktake_summary(stocktake))
        return context

    def refusal(self, stocktake):
        if not stocktake.is_open:
            return _("This stocktake is closed.")
        if not may_count(self.request.user, stocktake):
            return _("You may not count items in this stocktake.")
        return None

    def perform(self, form):
        try:
            return services.stocktake_count(stocktake=self.object, by=self.request.user, **form.cleaned_data)
        except services.AlreadyCounted as refused:
            form.ask_to_recount()
            raise ValidationError({"recount": refused.message}) from refused
        except ActionRefused as refused:
            raise ValidationError({"asset_no": refused.message}) from refused

    def get_success_level(self):
        return messages.SUCCESS if self.result.result == StocktakeItem.Result.MATCHED else messages.WARNING

    @property
    def success_message(self):
        return f"{self.result.asset_no}: {self.result.get_result_display()}"

    def get_success_url(self):
        # A fresh form: the room is for this device only, the next one is assumed where the book says.
        return reverse("inventory:stocktake_scan", args=[self.object.pk])


class StocktakeActionView(StepView):
    model = Stocktake
    allowed_roles = IT_ROLES
    forms = {"close": CloseStocktakeForm}


class StocktakePdfView(ObjectDetailView):
    model = Stocktake
    allowed_roles = STOCKTAKE_READERS

    def get(self, request, *args, **kwargs):
        stocktake = self.get_object()
        items = stocktake.items.select_related("equipment__category", "counted_by").order_by("asset_no")
        context = {
            "stocktake": stocktake,
            "items": items,
            "printed_at": timezone.localtime(),
            **selectors.stocktake_summary(stocktake),
        }
        return pdf_response(render_pdf("inventory/pdf/stocktake.html", context), f"{stocktake.number}.pdf")
