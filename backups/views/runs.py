"""Backup runs: the register, a run recorded by hand, and the endpoint backup scripts report to."""

import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from portal.exceptions import ActionRefused
from portal.forms import DESCRIPTION_LENGTH, PlausibleDay
from portal.views.generic import ObjectDetailView, ObjectListView, ServiceFormView

from .. import services
from ..filters import BackupRunFilter
from ..forms import BackupRunForm
from ..models import BackupMedium, BackupRun
from ..permissions import RECORD_ROLES
from ..tables import BackupRunTable
from .common import ReadMixin, ResultPageMixin


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


class RunCreateView(ResultPageMixin, ServiceFormView):
    """A run recorded by hand, the operator being the person recording it."""

    title = gettext_lazy("Record a backup run")
    allowed_roles = RECORD_ROLES
    form_class = BackupRunForm
    success_message = gettext_lazy("Saved.")

    def get_initial(self):
        return {
            "target": self.request.GET.get("target"),
            "started_at": timezone.localtime().replace(second=0, microsecond=0),
        }

    def perform(self, form):
        fields = {name: value for name, value in form.cleaned_data.items() if name != "target"}
        return services.backup_run_record(
            target=form.cleaned_data["target"], source=BackupRun.Source.MANUAL, operator=self.request.user, **fields
        )


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
