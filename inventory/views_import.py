"""Ledger import pages: upload, the mapping page (columns, values, defaults, formats), progress."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View
from django.views.generic.detail import SingleObjectMixin

from portal import jobs
from portal.exports import dataset_response, rows_dataset
from portal.permissions import RoleRequiredMixin, VisibleQuerysetMixin
from portal.roles import IT_ROLES
from portal.views.generic import ObjectListView, ServiceFormView, ServiceObjectFormView

from . import import_flow, importing, selectors
from .forms import ImportMappingForm, ImportUploadForm
from .models import EquipmentImport
from .tables import EquipmentImportTable


class ImportListView(ObjectListView):
    model = EquipmentImport
    table_class = EquipmentImportTable
    allowed_roles = IT_ROLES
    title = gettext_lazy("Ledger imports")
    template_name = "inventory/import_list.html"
    filterset_fields = ["state"]

    def get_queryset(self):
        return super().get_queryset().select_related("uploaded_by").defer("rows")


class ImportUploadView(ServiceFormView):
    form_class = ImportUploadForm
    allowed_roles = IT_ROLES
    template_name = "inventory/import_upload.html"
    success_message = gettext_lazy("The file is read: map its columns and values, then import it.")

    def perform(self, form):
        upload = form.cleaned_data["file"]
        try:
            return import_flow.import_upload(
                name=upload.name, raw=upload.read(), user=self.request.user, profile=form.cleaned_data["profile"]
            )
        except importing.UnreadableFile as unreadable:
            raise ValidationError({"file": str(unreadable)}) from unreadable

    def get_success_url(self):
        return self.result.get_absolute_url()


class ImportTemplateView(RoleRequiredMixin, View):
    allowed_roles = IT_ROLES

    def get(self, request):
        headers, example = importing.template_rows()
        return dataset_response(rows_dataset(headers, [example]), "xlsx", "equipment-import-template")


class ImportDetailView(ServiceObjectFormView):
    """The mapping page; POST keeps the choices, then previews again or imports (in the background when large)."""

    model = EquipmentImport
    allowed_roles = IT_ROLES
    form_class = ImportMappingForm
    template_name = "inventory/import_detail.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "batch": self.object}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {**context, **selectors.import_page(self.object, context["form"])}

    def previewing(self):
        return self.request.POST.get("action") == "preview"

    def perform(self, form):
        batch = import_flow.import_configure(batch=self.object, **form.settings())
        if self.previewing():
            return batch
        with jobs.deferral_notice(self.request):
            return import_flow.import_start(batch=batch)

    def get_success_level(self):
        if self.previewing() or self.result.state == EquipmentImport.State.QUEUED:
            return messages.INFO
        return messages.SUCCESS if self.result.is_done else messages.ERROR

    @property
    def success_message(self):
        if self.previewing():
            return _("The preview now reads the file with your choices.")
        if self.result.state == EquipmentImport.State.QUEUED:
            return _("The import runs in the background; this page shows its progress.")
        if self.result.is_done:
            return _("%(n)s devices imported.") % {"n": self.result.processed}
        return _(
            "Nothing was imported: %(n)s rows have errors. Correct the choices below or the file, then try again."
        ) % {"n": len(self.result.errors)}


class ImportProgressView(RoleRequiredMixin, VisibleQuerysetMixin, SingleObjectMixin, View):
    allowed_roles = IT_ROLES
    queryset = EquipmentImport.objects.defer("rows")

    def get(self, request, pk):
        batch = self.get_object()
        return JsonResponse(
            {
                "state": batch.state,
                "state_display": str(batch.get_state_display()),
                "processed": batch.processed,
                "total": batch.total,
                "percent": batch.progress_percent,
                "finished": batch.finished,
            }
        )
