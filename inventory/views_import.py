"""Ledger import pages: upload, the mapping page (columns, values, defaults, formats), progress."""

from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, View

from portal import jobs
from portal.exceptions import ActionRefused
from portal.permissions import RoleRequiredMixin
from portal.views.generic import ObjectListView

from . import import_mapping, importing
from .forms import ImportMappingForm, ImportUploadForm
from .models import LEDGER_ROLES, EquipmentImport
from .tables import EquipmentImportTable
from .views import xlsx_response


class ImportListView(ObjectListView):
    model = EquipmentImport
    table_class = EquipmentImportTable
    allowed_roles = LEDGER_ROLES
    title = gettext_lazy("Ledger imports")
    template_name = "inventory/import_list.html"
    filterset_fields = ["state"]

    def get_queryset(self):
        return EquipmentImport.objects.select_related("uploaded_by").defer("rows")


class ImportUploadView(RoleRequiredMixin, FormView):
    form_class = ImportUploadForm
    allowed_roles = LEDGER_ROLES
    template_name = "inventory/import_upload.html"

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            batch = importing.import_upload(
                name=upload.name, raw=upload.read(), user=self.request.user, profile=form.cleaned_data["profile"]
            )
        except importing.UnreadableFile as unreadable:
            form.add_error("file", str(unreadable))
            return self.form_invalid(form)
        return HttpResponseRedirect(batch.get_absolute_url())


class ImportTemplateView(RoleRequiredMixin, View):
    allowed_roles = LEDGER_ROLES

    def get(self, request):
        headers, example = importing.template_rows()
        return xlsx_response([headers, example], "equipment-import-template.xlsx")


class ImportDetailView(RoleRequiredMixin, DetailView):
    """The mapping page; POST keeps the choices, then previews again or imports (in the background when large)."""

    model = EquipmentImport
    allowed_roles = LEDGER_ROLES
    template_name = "inventory/import_detail.html"
    preview_rows = 15

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = self.object
        form = ImportMappingForm(batch=batch)
        context["fields"] = [
            {
                "name": field,
                "label": label,
                "chosen": batch.mapping.get(field, ""),
                "required": field in importing.REQUIRED,
            }
            for field, label in importing.COLUMNS.items()
        ]
        context["defaults"] = [
            {
                "name": field,
                "label": importing.COLUMNS[field],
                "chosen": batch.defaults.get(field, ""),
                "choices": getattr(form.fields[f"default_{field}"], "choices", None),
            }
            for field in import_mapping.DEFAULT_FIELDS
        ]
        context["value_sections"] = import_mapping.value_rows(batch)
        context["date_formats"] = form.fields["date_format"].choices
        context["decimal_separators"] = form.fields["decimal_separator"].choices
        context["date_preview"] = import_mapping.date_preview(batch)
        context["amount_preview"] = import_mapping.amount_preview(batch)
        mapped = [(field, label) for field, label in importing.COLUMNS.items() if field in batch.mapping]
        index = {
            field: batch.headers.index(batch.mapping[field])
            for field, _label in mapped
            if batch.mapping[field] in batch.headers
        }
        context["preview_headers"] = [label for field, label in mapped if field in index]
        context["preview"] = [
            (number, [row[index[field]] for field, _label in mapped if field in index])
            for number, row in enumerate(batch.rows[: self.preview_rows], start=2)
        ]
        context["editable"] = batch.state in importing.EDITABLE
        context["background_rows"] = importing.BACKGROUND_ROWS
        return context

    def post(self, request, pk):
        self.object = batch = self.get_object()
        form = ImportMappingForm(request.POST, batch=batch)
        if not form.is_valid():
            errors = "；".join(
                f"{form.fields[name].label}：{' '.join(problems)}" for name, problems in form.errors.items()
            )
            messages.error(request, _("Some choices are not valid: %(errors)s") % {"errors": errors})
            return HttpResponseRedirect(batch.get_absolute_url())
        try:
            importing.import_configure(batch=batch, **form.settings())
            if request.POST.get("action") == "preview":
                messages.info(request, _("The preview now reads the file with your choices."))
                return HttpResponseRedirect(batch.get_absolute_url())
            with jobs.deferral_notice(request):
                batch = importing.import_start(batch=batch)
        except ActionRefused as refused:
            messages.error(request, str(refused))
            return HttpResponseRedirect(batch.get_absolute_url())
        if batch.state == EquipmentImport.State.QUEUED:
            messages.info(request, _("The import runs in the background; this page shows its progress."))
        elif batch.state == EquipmentImport.State.DONE:
            messages.success(request, _("%(n)s devices imported.") % {"n": batch.processed})
        else:
            messages.error(
                request,
                _(
                    "Nothing was imported: %(n)s rows have errors. Correct the choices below or the file, then try again."
                )
                % {"n": len(batch.errors)},
            )
        return HttpResponseRedirect(batch.get_absolute_url())


class ImportProgressView(RoleRequiredMixin, View):
    allowed_roles = LEDGER_ROLES

    def get(self, request, pk):
        batch = get_object_or_404(EquipmentImport.objects.defer("rows"), pk=pk)
        return JsonResponse(
            {
                "state": batch.state,
                "state_display": str(batch.get_state_display()),
                "processed": batch.processed,
                "total": batch.total,
                "percent": batch.progress_percent,
                "finished": batch.state
                in (EquipmentImport.State.DONE, EquipmentImport.State.REJECTED, EquipmentImport.State.FAILED),
            }
        )
