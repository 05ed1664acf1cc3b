"""Asset label sheets: one page prints at once; a bigger sheet is laid out by the worker while its page waits."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import View
from django.views.generic.detail import SingleObjectMixin

from portal import jobs
from portal.params import int_param
from portal.pdf import pdf_file_response, pdf_response
from portal.permissions import RoleRequiredMixin, VisibleQuerysetMixin
from portal.roles import IT_ROLES
from portal.views.generic import ObjectDetailView

from . import services
from .labels import LABEL_SHEET_LIMIT, ONE_PAGE, label_sheet_pdf
from .models import LabelSheet
from .views import EquipmentListView


class LabelSheetView(EquipmentListView):
    """The labels of the devices in the filtered list (or of one device with ?pk=).

    GET prints one page at once and, for more, shows how many labels and pages a sheet will have; its POST (the
    same filters) queues the sheet and leads to its page.
    """

    allowed_roles = IT_ROLES

    def devices(self):
        devices = self.filtered().select_related("category", "department").order_by("asset_no")
        device = int_param(self.request.GET, "pk")
        if device is not None:
            devices = devices.filter(pk=device)
        devices = list(devices[: LABEL_SHEET_LIMIT + 1])
        if not devices:
            raise Http404
        return devices

    def too_many(self):
        messages.error(
            self.request,
            _("Narrow the list to at most %(n)s devices to print their labels.") % {"n": LABEL_SHEET_LIMIT},
        )
        return redirect(reverse("inventory:equipment_list") + "?" + self.request.GET.urlencode())

    def get(self, request, *args, **kwargs):
        devices = self.devices()
        if len(devices) > LABEL_SHEET_LIMIT:
            return self.too_many()
        if len(devices) <= ONE_PAGE:
            return pdf_response(label_sheet_pdf(devices), "asset-labels.pdf")
        pages = -(-len(devices) // ONE_PAGE)
        context = {"count": len(devices), "pages": pages, "query": request.GET.urlencode()}
        return render(request, "inventory/label_sheet_confirm.html", context)

    def post(self, request, *args, **kwargs):
        devices = self.devices()
        if len(devices) > LABEL_SHEET_LIMIT:
            return self.too_many()
        with jobs.deferral_notice(request):
            sheet = services.label_sheet_request(devices=devices, by=request.user)
        messages.info(request, _("The label sheet is being laid out; this page shows its progress."))
        return redirect(sheet)


class LabelSheetDetailView(ObjectDetailView):
    model = LabelSheet
    allowed_roles = IT_ROLES
    template_name = "inventory/label_sheet_detail.html"


class LabelSheetProgressView(RoleRequiredMixin, VisibleQuerysetMixin, SingleObjectMixin, View):
    model = LabelSheet
    allowed_roles = IT_ROLES

    def get(self, request, pk):
        sheet = self.get_object()
        return JsonResponse(
            {
                "status": sheet.status,
                "status_label": str(sheet.get_status_display()),
                "progress": sheet.progress,
                "download": reverse("inventory:label_sheet_pdf", args=[sheet.pk]) if sheet.is_ready else None,
            }
        )


class LabelSheetFileView(RoleRequiredMixin, VisibleQuerysetMixin, SingleObjectMixin, View):
    model = LabelSheet
    allowed_roles = IT_ROLES

    def get(self, request, pk):
        sheet = self.get_object()
        if not sheet.is_ready:
            raise Http404
        return pdf_file_response(sheet.file.open("rb"), f"asset-labels-{sheet.pk}.pdf")
