import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView

from portal import jobs
from portal.exceptions import ActionRefused
from portal.forms import DESCRIPTION_LENGTH, PlausibleDay
from portal.params import int_param
from portal.permissions import RoleRequiredMixin
from portal.roles import has_role
from portal.views.generic import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    TransitionView,
)

from . import services, tasks
from .filters import (
    BackupMediumFilter,
    BackupRunFilter,
    BackupTargetFilter,
    CustodyHandoverFilter,
    ServerOperationFilter,
    VerificationFilter,
)
from .forms import (
    BackupMediumForm,
    BackupRunForm,
    BackupTargetForm,
    CustodyHandoverForm,
    DbaHandoverForm,
    DbaHandoverLinkForm,
    ScriptTokenForm,
    ServerOperationForm,
    StocktakeCountForm,
    StocktakeForm,
    VerificationForm,
)
from .models import (
    MANAGE_ROLES,
    READ_ROLES,
    RECORD_ROLES,
    BackupMedium,
    BackupRun,
    BackupTarget,
    CustodyHandover,
    DbaHandover,
    MediaStocktake,
    ServerOperation,
    Verification,
)
from .selectors import board_rows
from .tables import (
    BackupMediumTable,
    BackupRunTable,
    BackupTargetTable,
    CustodyHandoverTable,
    DbaHandoverTable,
    MediaStocktakeTable,
    ServerOperationTable,
    VerificationTable,
)

TIMELINE_LENGTH = 60


class ReadMixin:
    allowed_roles = READ_ROLES


class FormPageMixin:
    """A form page titled by ``title`` (the generic form template would name an unsaved object)."""

    template_name = "backups/object_form.html"
    title = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        return context


class BoardView(ReadMixin, RoleRequiredMixin, TemplateView):
    template_name = "backups/board.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = board_rows()
        context["rows"] = rows
        context["counts"] = {
            colour: sum(1 for row in rows if row.status == colour) for colour in ("red", "amber", "green")
        }
        return context


# --- targets --------------------------------------------------------------------------------------


class TargetListView(ReadMixin, ObjectListView):
    model = BackupTarget
    queryset = BackupTarget.objects.select_related("responsible_dba", "deputy")
    filterset_class = BackupTargetFilter
    table_class = BackupTargetTable
    create_url = reverse_lazy("backups:target_create")


class TargetDetailView(ReadMixin, ObjectDetailView):
    model = BackupTarget
    template_name = "backups/target_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        target = self.object
        events = []
        for run in target.runs.select_related("operator", "medium")[:TIMELINE_LENGTH]:
            events.append(("run", run.started_at, run))
        for check in target.verifications.select_related("operator", "witness")[:TIMELINE_LENGTH]:
            events.append(("verification", check.started_at, check))
        for alert in target.alerts.all()[:TIMELINE_LENGTH]:
            events.append(("alert", alert.raised_at, alert))
        for operation in target.operations.select_related("operator", "present_dba")[:TIMELINE_LENGTH]:
            events.append(("operation", operation.started_at, operation))
        events.sort(key=lambda event: event[1], reverse=True)
        context["timeline"] = events[: TIMELINE_LENGTH * 2]
        context["row"] = next((row for row in board_rows() if row.target.pk == target.pk), None)
        user = self.request.user
        context["can_manage"] = has_role(user, *MANAGE_ROLES)
        context["can_record"] = has_role(user, *RECORD_ROLES)
        if context["can_manage"]:
            context["tokens"] = target.tokens.select_related("created_by", "revoked_by")
            context["token_form"] = ScriptTokenForm()
            context["new_token"] = self.request.session.pop(f"backups-token-{target.pk}", None)
        return context


class TargetCreateView(FormPageMixin, ObjectCreateView):
    title = gettext_lazy("New backup target")
    allowed_roles = MANAGE_ROLES
    model = BackupTarget
    form_class = BackupTargetForm


class TargetEditView(FormPageMixin, ObjectEditView):
    title = gettext_lazy("Edit backup plan")
    allowed_roles = MANAGE_ROLES
    model = BackupTarget
    form_class = BackupTargetForm


class TargetHistoryView(ReadMixin, ObjectHistoryView):
    model = BackupTarget


class TargetPostView(RoleRequiredMixin, View):
    """Buttons on a target's page: issue or revoke a script token, check now, back up now."""

    allowed_roles = MANAGE_ROLES

    def post(self, request, pk, action):
        target = get_object_or_404(BackupTarget.objects.visible_to(request.user), pk=pk)
        try:
            if action == "issue-token":
                form = ScriptTokenForm(request.POST)
                if not form.is_valid():
                    raise ActionRefused(_("Give the token a label saying where the script runs."))
                token, raw = services.script_token_issue(
                    target=target, label=form.cleaned_data["label"], by=request.user
                )
                # Shown once on the next page; only the hash is stored.
                request.session[f"backups-token-{target.pk}"] = raw
                messages.success(request, _("Token issued. Copy it now: it will not be shown again."))
            elif action == "revoke-token":
                token = get_object_or_404(target.tokens, pk=int_param(request.POST, "token"))
                services.script_token_revoke(token=token, by=request.user)
                messages.success(request, _("Token revoked: the script can no longer report."))
            elif action == "check-now":
                if not target.auto_verify:
                    raise ActionRefused(_("This target has no automatic check: record a manual verification."))
                messages.success(request, _("The check has been queued; its result appears on this page."))
                with jobs.deferral_notice(request):
                    jobs.enqueue(tasks.verify_target, target.pk, request.user.pk)
            elif action == "back-up-now":
                if not target.is_builtin:
                    raise ActionRefused(_("Only the portal's own database is backed up by the portal."))
                run = services.portal_backup_create(operator=request.user)
                if run.status == BackupRun.Status.SUCCESS:
                    messages.success(request, _("Backup written; its check has been queued."))
                    with jobs.deferral_notice(request):
                        jobs.enqueue(tasks.verify_target, target.pk, request.user.pk)
                else:
                    messages.error(request, _("The backup failed: %(error)s") % {"error": run.error})
            else:
                raise ActionRefused(_("Unknown action."))
        except ActionRefused as refused:
            messages.error(request, refused.message)
        return redirect(target)


# --- backup runs ----------------------------------------------------------------------------------


class RunListView(ReadMixin, ObjectListView):
    model = BackupRun
    queryset = BackupRun.objects.select_related("target", "operator")
    filterset_class = BackupRunFilter
    table_class = BackupRunTable
    create_url = reverse_lazy("backups:run_create")


class RunDetailView(ReadMixin, ObjectDetailView):
    model = BackupRun
    queryset = BackupRun.objects.select_related("target", "operator", "medium")
    template_name = "backups/run_detail.html"


class RunCreateView(FormPageMixin, ObjectCreateView):
    title = gettext_lazy("Record a backup run")
    allowed_roles = RECORD_ROLES
    model = BackupRun
    form_class = BackupRunForm

    def get_initial(self):
        return {
            "target": self.request.GET.get("target"),
            "started_at": timezone.localtime().replace(second=0, microsecond=0),
        }

    def save_form(self, form):
        fields = {name: value for name, value in form.cleaned_data.items() if name != "target"}
        self.object = services.backup_run_record(
            target=form.cleaned_data["target"], source=BackupRun.Source.MANUAL, operator=self.request.user, **fields
        )
        return HttpResponseRedirect(self.object.get_absolute_url())


@csrf_exempt
def record_run_endpoint(request):
    """POST /backups/api/runs/ with ``Authorization: Bearer <token>``: a backup script reports a run.

    A missing or unknown token is 401, a revoked one 403; neither records anything.
    """
    if request.method != "POST":
        return JsonResponse({"error": "POST only"}, status=405)
    header = request.headers.get("Authorization", "")
    raw = header[7:].strip() if header.startswith("Bearer ") else ""
    try:
        token = services.script_token_authenticate(raw)
    except services.TokenRejected as rejected:
        response = JsonResponse({"error": str(rejected.message)}, status=rejected.status)
        if rejected.status == 401:
            response["WWW-Authenticate"] = "Bearer"
        return response
    try:
        payload = json.loads(request.body or b"{}")
        fields = _run_fields_from_payload(payload)
        with transaction.atomic():
            run = services.backup_run_record(target=token.target, source=BackupRun.Source.ENDPOINT, **fields)
    except (ValueError, TypeError) as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    except ActionRefused as refused:
        return JsonResponse({"error": str(refused.message)}, status=400)
    return JsonResponse({"id": run.pk, "target": token.target.code, "status": run.status}, status=201)


def _parse_time(value, name):
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        raise ValueError(_("%(name)s must be an ISO 8601 date and time.") % {"name": name})
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    try:
        PlausibleDay()(parsed)
    except ValidationError as error:
        raise ValueError(f"{name}: {error.messages[0]}") from error
    return parsed


def _run_fields_from_payload(payload: dict) -> dict:
    if not isinstance(payload, dict):
        raise ValueError(_("The body must be a JSON object."))
    status = payload.get("status", "success")
    if status not in BackupRun.Status.values:
        raise ValueError(_("status must be one of: %(values)s") % {"values": ", ".join(BackupRun.Status.values)})
    kind = payload.get("kind", BackupRun.Kind.FULL)
    if kind not in BackupRun.Kind.values:
        raise ValueError(_("kind must be one of: %(values)s") % {"values": ", ".join(BackupRun.Kind.values)})
    fields = {
        "kind": kind,
        "status": status,
        "started_at": _parse_time(payload.get("started_at"), "started_at"),
        "finished_at": _parse_time(payload.get("finished_at"), "finished_at"),
        "sha256": str(payload.get("sha256", "")),
        "location": str(payload.get("location", ""))[:500],
        "error": str(payload.get("error", "")),
    }
    if len(fields["error"]) > DESCRIPTION_LENGTH:
        raise ValueError(_("error must be at most %(limit)d characters.") % {"limit": DESCRIPTION_LENGTH})
    if payload.get("size_bytes") is not None:
        fields["size_bytes"] = int(payload["size_bytes"])
    if payload.get("file_count") is not None:
        fields["file_count"] = int(payload["file_count"])
    if payload.get("medium"):
        medium = BackupMedium.objects.filter(label=payload["medium"]).first()
        if medium is None:
            raise ValueError(_("No medium labelled %(label)s in the register.") % {"label": payload["medium"]})
        fields["medium"] = medium
    return fields


# --- verifications --------------------------------------------------------------------------------


class VerificationListView(ReadMixin, ObjectListView):
    model = Verification
    queryset = Verification.objects.select_related("target", "operator", "witness")
    filterset_class = VerificationFilter
    table_class = VerificationTable
    create_url = reverse_lazy("backups:verification_create")


class VerificationDetailView(ReadMixin, ObjectDetailView):
    model = Verification
    queryset = Verification.objects.select_related("target", "backup_run", "operator", "witness")
    template_name = "backups/verification_detail.html"


class VerificationCreateView(RoleRequiredMixin, FormView):
    """A manual verification or restore test of one backup run, the operator being the person recording it."""

    allowed_roles = MANAGE_ROLES
    form_class = VerificationForm
    template_name = "backups/verification_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.target = None
        target = int_param(request.GET, "target")
        if request.user.is_authenticated and target is not None:
            self.target = get_object_or_404(BackupTarget.objects.visible_to(request.user), pk=target)
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        if self.target is None:
            return None
        return VerificationForm(target=self.target, **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["target"] = self.target
        context["targets"] = BackupTarget.objects.filter(is_active=True)
        return context

    def post(self, request, *args, **kwargs):
        if self.target is None:
            return redirect("backups:verification_create")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        log_files = data.pop("log_files")
        try:
            with transaction.atomic():
                verification = services.verification_record(
                    target=self.target, operator=self.request.user, log_files=log_files, by=self.request.user, **data
                )
        except ActionRefused as refused:
            form.add_error(None, refused.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(verification)


# --- media and custody ----------------------------------------------------------------------------


class MediumListView(ReadMixin, ObjectListView):
    model = BackupMedium
    queryset = BackupMedium.objects.select_related("custodian")
    filterset_class = BackupMediumFilter
    table_class = BackupMediumTable
    create_url = reverse_lazy("backups:medium_create")
    template_name = "backups/medium_list.html"


class MediumDetailView(ReadMixin, ObjectDetailView):
    model = BackupMedium
    queryset = BackupMedium.objects.select_related("custodian")
    template_name = "backups/medium_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["handovers"] = self.object.handovers.select_related("from_person", "to_person")[:100]
        context["runs"] = self.object.runs.select_related("target")[:20]
        context["can_manage"] = has_role(self.request.user, *MANAGE_ROLES)
        return context


class MediumCreateView(FormPageMixin, ObjectCreateView):
    title = gettext_lazy("New backup medium")
    allowed_roles = MANAGE_ROLES
    model = BackupMedium
    form_class = BackupMediumForm


class MediumEditView(FormPageMixin, ObjectEditView):
    title = gettext_lazy("Edit backup medium")
    allowed_roles = MANAGE_ROLES
    model = BackupMedium
    form_class = BackupMediumForm


class CustodyListView(ReadMixin, ObjectListView):
    model = CustodyHandover
    queryset = CustodyHandover.objects.select_related("from_person", "to_person").prefetch_related("media")
    filterset_class = CustodyHandoverFilter
    table_class = CustodyHandoverTable
    create_url = reverse_lazy("backups:custody_create")
    title = gettext_lazy("Custody handovers")


class CustodyDetailView(ReadMixin, ObjectDetailView):
    model = CustodyHandover
    queryset = CustodyHandover.objects.select_related("from_person", "to_person")
    template_name = "backups/custody_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url_name"] = "backups:custody_action"
        return context


class CustodyCreateView(FormPageMixin, RoleRequiredMixin, FormView):
    title = gettext_lazy("New custody handover")
    allowed_roles = MANAGE_ROLES
    form_class = CustodyHandoverForm

    def get_initial(self):
        return {"from_person": self.request.user.pk}

    def form_valid(self, form):
        try:
            with transaction.atomic():
                handover = services.custody_handover_create(by=self.request.user, **form.cleaned_data)
        except ActionRefused as refused:
            form.add_error(None, refused.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Handover recorded; the receiver has been asked to sign."))
        return redirect(handover)


class CustodyActionView(ReadMixin, TransitionView):
    model = CustodyHandover


class StocktakeListView(ReadMixin, ObjectListView):
    model = MediaStocktake
    queryset = MediaStocktake.objects.select_related("counted_by")
    table_class = MediaStocktakeTable
    create_url = reverse_lazy("backups:stocktake_create")
    filterset_fields = ["state", "location"]


class StocktakeCreateView(FormPageMixin, RoleRequiredMixin, FormView):
    title = gettext_lazy("New media stocktake")
    allowed_roles = MANAGE_ROLES
    form_class = StocktakeForm

    def form_valid(self, form):
        try:
            stocktake = services.stocktake_open(by=self.request.user, **form.cleaned_data)
        except ActionRefused as refused:
            form.add_error(None, refused.message)
            return self.form_invalid(form)
        return redirect(stocktake)


class StocktakeDetailView(ReadMixin, ObjectDetailView):
    model = MediaStocktake
    queryset = MediaStocktake.objects.select_related("counted_by")
    template_name = "backups/stocktake_detail.html"

    def lines(self):
        return self.object.lines.select_related("medium", "medium__custodian")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url_name"] = "backups:stocktake_action"
        lines = list(self.lines())
        context["lines"] = lines
        context["missing"] = sum(1 for line in lines if line.result == "missing")
        if self.object.state == MediaStocktake.State.OPEN and has_role(self.request.user, *MANAGE_ROLES):
            context["count_form"] = kwargs.get("count_form") or StocktakeCountForm(lines=lines)
        return context

    def post(self, request, *args, **kwargs):
        if not has_role(request.user, *MANAGE_ROLES):
            raise PermissionDenied
        self.object = self.get_object()
        form = StocktakeCountForm(request.POST, lines=self.lines())
        if form.is_valid():
            try:
                services.stocktake_record(stocktake=self.object, results=form.results(), by=request.user)
            except ActionRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("Saved."))
                return redirect(self.object)
        return self.render_to_response(self.get_context_data(count_form=form))


class StocktakeActionView(ReadMixin, TransitionView):
    model = MediaStocktake


# --- server operation log -------------------------------------------------------------------------


class OperationListView(ReadMixin, ObjectListView):
    model = ServerOperation
    queryset = ServerOperation.objects.select_related("operator", "present_dba")
    filterset_class = ServerOperationFilter
    table_class = ServerOperationTable
    create_url = reverse_lazy("backups:operation_create")


class OperationDetailView(ReadMixin, ObjectDetailView):
    model = ServerOperation
    queryset = ServerOperation.objects.select_related("operator", "present_dba", "recorded_by", "target")
    template_name = "backups/operation_detail.html"


class OperationCreateView(FormPageMixin, ObjectCreateView):
    title = gettext_lazy("Record a server operation")
    allowed_roles = RECORD_ROLES
    model = ServerOperation
    form_class = ServerOperationForm

    def get_initial(self):
        return {"operator": self.request.user.pk, "started_at": timezone.localtime().replace(second=0, microsecond=0)}

    def save_form(self, form):
        self.object = services.server_operation_record(by=self.request.user, **form.cleaned_data)
        return HttpResponseRedirect(self.object.get_absolute_url())


# --- DBA handover ---------------------------------------------------------------------------------


class DbaHandoverListView(ReadMixin, ObjectListView):
    model = DbaHandover
    queryset = DbaHandover.objects.select_related(
        "departing_dba", "successor", "backup_run__target", "verification__target"
    )
    table_class = DbaHandoverTable
    create_url = reverse_lazy("backups:dba_handover_create")
    filterset_fields = ["departing_dba", "successor"]


class DbaHandoverDetailView(ReadMixin, ObjectDetailView):
    model = DbaHandover
    queryset = DbaHandover.objects.select_related(
        "departing_dba", "successor", "backup_run__target", "verification__target"
    )
    template_name = "backups/dba_handover_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if not self.object.is_complete and (has_role(user, *MANAGE_ROLES) or user.pk == self.object.successor_id):
            context["link_form"] = kwargs.get("link_form") or DbaHandoverLinkForm(handover=self.object)
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = DbaHandoverLinkForm(request.POST, handover=self.object)
        if form.is_valid():
            try:
                services.dba_handover_link(handover=self.object, by=request.user, **form.cleaned_data)
            except ActionRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("Saved."))
                return redirect(self.object)
        return self.render_to_response(self.get_context_data(link_form=form))


class DbaHandoverCreateView(FormPageMixin, RoleRequiredMixin, FormView):
    title = gettext_lazy("Start a DBA handover")
    allowed_roles = MANAGE_ROLES
    form_class = DbaHandoverForm

    def form_valid(self, form):
        try:
            with transaction.atomic():
                handover = services.dba_handover_start(by=self.request.user, **form.cleaned_data)
        except ActionRefused as refused:
            form.add_error(None, refused.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Handover started; the successor has been notified."))
        return redirect(handover)
