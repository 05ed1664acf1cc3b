import csv
import io

import openpyxl
from django.contrib import messages
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import DetailView, FormView, View
from django.views.generic.detail import SingleObjectMixin

from portal.attachments import attach
from portal.exceptions import ActionRefused
from portal.params import int_param
from portal.pdf import render_pdf
from portal.permissions import RoleRequiredMixin, VisibleQuerysetMixin
from portal.roles import Role
from portal.views.generic import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    TransitionView,
)
from portal.workflow import available_actions

from . import importing, services
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
from .labels import device_url, label_sheet_pdf, qr_data_uri
from .models import (
    READ_ALL_ROLES,
    ConfigChange,
    Equipment,
    Rack,
    SpareLoan,
    Stocktake,
    StocktakeItem,
)
from .tables import (
    ConfigChangeTable,
    EquipmentTable,
    RackTable,
    SpareLoanTable,
    StocktakeTable,
)

LEDGER_ROLES = (Role.IT_OFFICER, Role.IT_HEAD)
# Steps taken from another page (swap in through swap, lending through the loan register).
INDIRECT_ACTIONS = {"swap_in", "lend", "loan_return"}
LABEL_SHEET_LIMIT = 600


# Equipment


class EquipmentListView(ObjectListView):
    model = Equipment
    filterset_class = EquipmentFilter
    table_class = EquipmentTable
    template_name = "inventory/equipment_list.html"
    title = gettext_lazy("Equipment ledger")
    create_url = reverse_lazy("inventory:equipment_create")
    paginate_by = 50

    def get_queryset(self):
        return super().get_queryset().select_related("category", "department", "custodian")

    def filtered(self):
        filterset = self.get_filterset(self.get_filterset_class())
        return filterset.qs if filterset.is_valid() else filterset.queryset.none()

    def get(self, request, *args, **kwargs):
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            return export_equipment(self.filtered().order_by("asset_no"), export)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for key in ("page", "sort", "export"):
            query.pop(key, None)
        context["query"] = query.urlencode()
        return context


EXPORT_FIELDS = [
    ("asset_no", lambda d: d.asset_no),
    ("category", lambda d: d.category.name),
    ("brand", lambda d: d.brand),
    ("model_name", lambda d: d.model_name),
    ("serial_no", lambda d: d.serial_no),
    ("department", lambda d: d.department.name if d.department else ""),
    ("custodian", lambda d: d.custodian.username if d.custodian else ""),
    ("building", lambda d: d.building),
    ("floor", lambda d: d.floor),
    ("room", lambda d: d.room),
    ("ip_address", lambda d: d.ip_address or ""),
    ("mac_address", lambda d: d.mac_address),
    ("purchase_date", lambda d: d.purchase_date.isoformat() if d.purchase_date else ""),
    ("price", lambda d: str(d.price) if d.price is not None else ""),
    ("supplier", lambda d: d.supplier),
    ("warranty_end", lambda d: d.warranty_end.isoformat() if d.warranty_end else ""),
    ("status", lambda d: str(d.get_status_display())),
    ("notes", lambda d: d.notes),
]


def export_equipment(queryset, kind):
    """The filtered list in the import template's columns, so an export can be edited and imported back."""
    headers = [str(importing.COLUMNS[field]) for field, _getter in EXPORT_FIELDS]
    rows = ([getter(device) for _field, getter in EXPORT_FIELDS] for device in queryset.iterator(chunk_size=2000))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows(rows)
        # With the BOM, Excel on Chinese Windows opens UTF-8 CSV without garbling.
        response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="equipment-{stamp}.csv"'
        return response
    return xlsx_response([headers, *rows], f"equipment-{stamp}.xlsx")


def xlsx_response(table, filename):
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in table:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class EquipmentCreateView(ObjectCreateView):
    model = Equipment
    form_class = EquipmentForm
    allowed_roles = LEDGER_ROLES

    def save_form(self, form):
        fields = {name: form.cleaned_data[name] for name in EQUIPMENT_FIELDS}
        self.object = services.equipment_register(by=self.request.user, **fields)
        attach(self.object, form.cleaned_data["attachments"], by=self.request.user)
        return HttpResponseRedirect(self.object.get_absolute_url())


class EquipmentEditView(ObjectEditView):
    model = Equipment
    form_class = EquipmentForm
    allowed_roles = LEDGER_ROLES

    def save_form(self, form):
        fields = {name: form.cleaned_data[name] for name in EQUIPMENT_FIELDS}
        self.object = services.equipment_update(equipment=self.get_object(), by=self.request.user, **fields)
        attach(self.object, form.cleaned_data["attachments"], by=self.request.user)
        return HttpResponseRedirect(self.object.get_absolute_url())


class EquipmentDetailView(ObjectDetailView):
    model = Equipment
    template_name = "inventory/equipment_detail.html"
    state_field = "status"

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
        context["qr"] = qr_data_uri(device_url(device))
        context["can_manage"] = self.request.user.groups.filter(name__in=LEDGER_ROLES).exists()
        return context


class EquipmentByAssetView(RoleRequiredMixin, View):
    """Where a label's QR code points: the device page, found by asset number."""

    def get(self, request, asset_no):
        device = get_object_or_404(Equipment.objects.visible_to(request.user), asset_no=asset_no.upper())
        return redirect(device)


class EquipmentHistoryView(ObjectHistoryView):
    model = Equipment


SERVICE_FOR_ACTION = {
    "issue": lambda device, by, comment, **a: services.equipment_issue(equipment=device, by=by, reason=comment, **a),
    "install": lambda device, by, comment, **a: services.equipment_install(
        equipment=device, by=by, reason=comment, **a
    ),
    "transfer": lambda device, by, comment, **a: services.equipment_transfer(
        equipment=device, by=by, reason=comment, **a
    ),
    "swap": lambda device, by, comment, replacement: services.equipment_swap(
        old=device, new=replacement, by=by, reason=comment
    ),
    "send_to_repair": lambda device, by, comment: services.equipment_send_to_repair(
        equipment=device, by=by, reason=comment
    ),
    "return_from_repair": lambda device, by, comment: services.equipment_return_from_repair(
        equipment=device, by=by, reason=comment
    ),
    "make_spare": lambda device, by, comment: services.equipment_make_spare(equipment=device, by=by, reason=comment),
    "withdraw_spare": lambda device, by, comment: services.equipment_withdraw_spare(
        equipment=device, by=by, reason=comment
    ),
    "request_scrap": lambda device, by, comment: services.equipment_request_scrap(
        equipment=device, by=by, reason=comment
    ),
    "approve_scrap": lambda device, by, comment: services.equipment_approve_scrap(
        equipment=device, by=by, reason=comment
    ),
    "reject_scrap": lambda device, by, comment: services.equipment_reject_scrap(
        equipment=device, by=by, reason=comment
    ),
}


class EquipmentActionView(TransitionView):
    """POST equipment/<pk>/<action>/: one lifecycle step, run through the service that writes the ledger."""

    model = Equipment
    allowed_roles = LEDGER_ROLES
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
        action = self.kwargs["action"]
        device = self.get_object()
        if action not in SERVICE_FOR_ACTION:
            raise Http404
        return device, action

    def render_form(self, obj, action, form):
        label = next(
            (a.label for a in available_actions(obj, self.request.user, "status") if a.name == action),
            dict(_action_labels(obj)).get(action, action),
        )
        return render(self.request, self.template_name, {"object": obj, "action": action, "label": label, "form": form})

    def run(self, obj, action, **arguments):
        return SERVICE_FOR_ACTION[action](obj, self.request.user, **arguments)


def _action_labels(device):
    return [(spec.name, spec.custom.get("label", spec.name)) for spec in device.get_all_status_transitions()]


class LabelSheetView(EquipmentListView):
    """The label sheet PDF for the devices in the filtered list (or one device with ?pk=)."""

    allowed_roles = LEDGER_ROLES

    def get(self, request, *args, **kwargs):
        devices = self.filtered().select_related("category", "department").order_by("asset_no")
        device = int_param(request.GET, "pk")
        if device is not None:
            devices = devices.filter(pk=device)
        devices = list(devices[: LABEL_SHEET_LIMIT + 1])
        if not devices:
            raise Http404
        if len(devices) > LABEL_SHEET_LIMIT:
            messages.error(
                request,
                _("Narrow the list to at most %(n)s devices to print their labels.") % {"n": LABEL_SHEET_LIMIT},
            )
            return redirect(reverse("inventory:equipment_list") + "?" + request.GET.urlencode())
        response = HttpResponse(label_sheet_pdf(devices), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="asset-labels.pdf"'
        return response


# Racks


class RackListView(ObjectListView):
    model = Rack
    table_class = RackTable
    allowed_roles = READ_ALL_ROLES
    title = gettext_lazy("Racks")
    create_url = reverse_lazy("inventory:rack_create")

    def get_queryset(self):
        return Rack.objects.annotate(used_u=Sum("equipment__height_u"), devices=Count("equipment")).order_by(
            "room", "name"
        )


class RackCreateView(ObjectCreateView):
    model = Rack
    form_class = RackForm
    allowed_roles = LEDGER_ROLES


class RackEditView(ObjectEditView):
    model = Rack
    form_class = RackForm
    allowed_roles = LEDGER_ROLES


class RackDetailView(RoleRequiredMixin, DetailView):
    """The rack's front view, top U first, drawn from the devices' positions."""

    model = Rack
    allowed_roles = READ_ALL_ROLES
    template_name = "inventory/rack_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rack = self.object
        devices = list(rack.equipment.select_related("category", "department").order_by("-rack_unit"))
        starts = {device.top_unit: device for device in devices}
        covered = {u for device in devices for u in range(device.rack_unit, device.top_unit + 1)}
        units = []
        for u in range(rack.height_u, 0, -1):
            if u in starts:
                units.append({"u": u, "device": starts[u], "span": starts[u].height_u})
            elif u not in covered:
                units.append({"u": u, "device": None, "span": 1})
            else:
                units.append({"u": u, "device": None, "span": 0})
        context["units"] = units
        context["devices"] = devices
        context["used_u"] = sum(device.height_u for device in devices)
        context["can_manage"] = self.request.user.groups.filter(name__in=LEDGER_ROLES).exists()
        return context


# Configuration changes


class ConfigChangeListView(ObjectListView):
    model = ConfigChange
    table_class = ConfigChangeTable
    allowed_roles = READ_ALL_ROLES
    title = gettext_lazy("Configuration changes")
    filterset_fields = ["state", "kind"]

    def get_queryset(self):
        return super().get_queryset().select_related("equipment", "operator")


class ConfigChangeCreateView(RoleRequiredMixin, FormView):
    form_class = ConfigChangeForm
    allowed_roles = LEDGER_ROLES
    template_name = "generic/object_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.device = get_object_or_404(Equipment.objects.select_related("category"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"performed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}

    def form_valid(self, form):
        try:
            change = services.config_change_record(equipment=self.device, by=self.request.user, **form.cleaned_data)
        except ActionRefused as refused:
            form.add_error(None, refused.message)
            return self.form_invalid(form)
        if change.state == ConfigChange.State.PENDING_APPROVAL:
            messages.info(
                self.request, _("Recorded. A server parameter change counts as done once the IT head approves it.")
            )
        else:
            messages.success(self.request, _("Recorded in the device's ledger."))
        return HttpResponseRedirect(change.get_absolute_url())


class ConfigChangeDetailView(ObjectDetailView):
    model = ConfigChange
    allowed_roles = READ_ALL_ROLES
    template_name = "inventory/change_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url_name"] = "inventory:change_action"
        return context


class ConfigChangeActionView(TransitionView):
    model = ConfigChange
    allowed_roles = (Role.IT_HEAD,)
    forms = {"reject": RequiredCommentForm}

    def run(self, obj, action, comment=""):
        if action == "approve":
            return services.config_change_approve(change=obj, by=self.request.user, comment=comment)
        return services.config_change_reject(change=obj, by=self.request.user, comment=comment)


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
        if self.request.user.groups.filter(name__in=LEDGER_ROLES).exists():
            context["spare_pool"] = Equipment.objects.filter(status=Equipment.Status.SPARE).select_related("category")
        return context


class SpareLoanCreateView(RoleRequiredMixin, FormView):
    form_class = SpareLoanForm
    allowed_roles = LEDGER_ROLES
    template_name = "generic/object_form.html"

    def get_initial(self):
        return {"spare": self.request.GET.get("spare")}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            loan = services.spare_loan_create(
                spare=data["spare"],
                department=data["department"],
                borrower=data["borrower"],
                by=self.request.user,
                expected_return=data["expected_return"],
                reason=data["reason"],
            )
        except ActionRefused as refused:
            form.add_error(None, refused.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The spare machine is lent."))
        return HttpResponseRedirect(loan.get_absolute_url())


class SpareLoanDetailView(RoleRequiredMixin, VisibleQuerysetMixin, DetailView):
    model = SpareLoan
    template_name = "inventory/loan_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("spare", "department", "borrower", "handler", "returned_to")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = self.request.user.groups.filter(name__in=LEDGER_ROLES).exists()
        return context


class SpareLoanReturnView(RoleRequiredMixin, VisibleQuerysetMixin, SingleObjectMixin, View):
    model = SpareLoan
    allowed_roles = LEDGER_ROLES

    def post(self, request, pk):
        loan = self.get_object()
        try:
            services.spare_loan_return(loan=loan, by=request.user)
        except ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The spare machine is back in the pool."))
        return HttpResponseRedirect(loan.get_absolute_url())


# Stocktakes


class StocktakeListView(ObjectListView):
    model = Stocktake
    filterset_class = StocktakeFilter
    table_class = StocktakeTable
    allowed_roles = (*READ_ALL_ROLES, Role.DEPT_HEAD)
    title = pgettext_lazy("page name", "Stocktakes")
    create_url = reverse_lazy("inventory:stocktake_create")

    def get_queryset(self):
        return super().get_queryset().select_related("department", "custodian", "opened_by")


class StocktakeCreateView(RoleRequiredMixin, FormView):
    form_class = StocktakeForm
    extra_context = {"title": gettext_lazy("New stocktake")}
    allowed_roles = LEDGER_ROLES
    template_name = "generic/object_form.html"

    def get_initial(self):
        return {
            key: self.request.GET.get(key) for key in ("scope", "department", "custodian") if key in self.request.GET
        }

    def form_valid(self, form):
        try:
            stocktake = services.stocktake_open(by=self.request.user, **form.cleaned_data)
        except ActionRefused as refused:
            form.add_error(None, refused.message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Stocktake opened: %(n)s devices on the book to count.") % {"n": stocktake.expected_count}
        )
        return HttpResponseRedirect(stocktake.get_absolute_url())


def stocktake_context(stocktake):
    items = stocktake.items.select_related("equipment", "equipment__category", "equipment__department", "counted_by")
    counts = dict(items.values_list("result").annotate(n=Count("id")).order_by())
    expected = stocktake.expected_count
    discrepancies = {
        result: list(items.filter(result=result)[:500])
        for result in (
            StocktakeItem.Result.MISSING,
            StocktakeItem.Result.MISPLACED,
            StocktakeItem.Result.UNEXPECTED,
            StocktakeItem.Result.UNKNOWN,
        )
    }
    matched = counts.get(StocktakeItem.Result.MATCHED, 0)
    return {
        "counts": counts,
        "counted": expected - counts.get(StocktakeItem.Result.PENDING, 0) - counts.get(StocktakeItem.Result.MISSING, 0),
        "matched": matched,
        "live_rate": round(matched * 100 / expected, 1) if expected else None,
        "missing": discrepancies[StocktakeItem.Result.MISSING],
        "misplaced": discrepancies[StocktakeItem.Result.MISPLACED],
        "unexpected": discrepancies[StocktakeItem.Result.UNEXPECTED] + discrepancies[StocktakeItem.Result.UNKNOWN],
    }


class StocktakeDetailView(ObjectDetailView):
    model = Stocktake
    allowed_roles = (*READ_ALL_ROLES, Role.DEPT_HEAD)
    template_name = "inventory/stocktake_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stocktake = self.object
        context.update(stocktake_context(stocktake))
        context["action_url_name"] = "inventory:stocktake_action"
        context["may_count"] = stocktake.state == Stocktake.State.OPEN and services.may_count(
            stocktake, self.request.user
        )
        context["pending"] = stocktake.items.filter(result=StocktakeItem.Result.PENDING).select_related(
            "equipment__category"
        )[:300]
        return context


class StocktakeScanView(RoleRequiredMixin, VisibleQuerysetMixin, SingleObjectMixin, FormView):
    """Count items by phone camera (the browser's BarcodeDetector) or by typing the asset number."""

    model = Stocktake
    allowed_roles = (*LEDGER_ROLES, Role.DEPT_HEAD)
    form_class = CountForm
    template_name = "inventory/stocktake_scan.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stocktake = self.object
        context["stocktake"] = stocktake
        context["may_count"] = stocktake.state == Stocktake.State.OPEN and services.may_count(
            stocktake, self.request.user
        )
        context["recent"] = (
            stocktake.items.exclude(counted_at=None).select_related("equipment").order_by("-counted_at")[:10]
        )
        context.update(stocktake_context(stocktake))
        return context

    def form_valid(self, form):
        try:
            item = services.stocktake_count(stocktake=self.object, by=self.request.user, **form.cleaned_data)
        except services.AlreadyCounted as refused:
            form.ask_to_recount(refused.message)
            return self.form_invalid(form)
        except ActionRefused as refused:
            form.add_error("asset_no", refused.message)
            return self.form_invalid(form)
        tone = messages.success if item.result == StocktakeItem.Result.MATCHED else messages.warning
        tone(self.request, f"{item.asset_no}: {item.get_result_display()}")
        # A fresh form: the room is for this device only, the next one is assumed where the book says.
        return HttpResponseRedirect(reverse("inventory:stocktake_scan", args=[self.object.pk]))


class StocktakeActionView(TransitionView):
    model = Stocktake
    allowed_roles = LEDGER_ROLES
    forms = {"close": CloseStocktakeForm}

    def run(self, obj, action, comment="", apply_corrections=False):
        return services.stocktake_close(
            stocktake=obj, by=self.request.user, apply_corrections=apply_corrections, comment=comment
        )


class StocktakePdfView(RoleRequiredMixin, VisibleQuerysetMixin, DetailView):
    model = Stocktake
    allowed_roles = (*READ_ALL_ROLES, Role.DEPT_HEAD)

    def get(self, request, *args, **kwargs):
        stocktake = self.get_object()
        items = stocktake.items.select_related("equipment__category", "counted_by").order_by("asset_no")
        context = {
            "stocktake": stocktake,
            "items": items,
            "printed_at": timezone.localtime(),
            **stocktake_context(stocktake),
        }
        response = HttpResponse(render_pdf("inventory/pdf/stocktake.html", context), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{stocktake.number}.pdf"'
        return response
