"""The portal's own pages: dashboard, notifications, attachments, /healthz."""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import heartbeats
from ..audit import record_download
from ..celery import app as celery_app
from ..dashboard import awaiting_for, task_statuses
from ..models import Attachment, Notification
from ..pdf import harfbuzz_subset_available
from ..roles import Role, has_role


@login_required
def dashboard(request):
    context = {
        "awaiting": awaiting_for(request.user),
        "notifications": Notification.objects.filter(recipient=request.user, read_at__isnull=True)[:8],
    }
    if has_role(request.user, Role.IT_HEAD, Role.IT_OFFICER, Role.DBA):
        context["task_runs"] = task_statuses()
    return render(request, "portal/dashboard.html", context)


@login_required
def notification_list(request):
    notes = Notification.objects.filter(recipient=request.user)[:200]
    return render(request, "portal/notifications.html", {"notes": notes})


@login_required
@require_POST
def notification_open(request, pk):
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return redirect(note.url or "portal:notifications")


@login_required
@require_POST
def notification_read_all(request):
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("portal:notifications")


@login_required
def attachment_download(request, pk):
    """Serve an upload only to a user who may see the object it belongs to."""
    attachment = get_object_or_404(Attachment.objects.select_related("content_type"), pk=pk)
    model = attachment.content_type.model_class()
    queryset = model._default_manager.all()
    if (
        not hasattr(queryset, "visible_to")
        or not queryset.visible_to(request.user).filter(pk=attachment.object_id).exists()
    ):
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not attachment.is_image,
        filename=attachment.original_name,
        content_type=attachment.mime_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    record_download(
        attachment.original_name,
        attachment=attachment.pk,
        owner=f"{attachment.content_type.app_label}.{attachment.content_type.model}#{attachment.object_id}",
    )
    return response


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache():
    # The web processes share the cache (the background banner is kept there): a write not read back is "down".
    cache.set("healthz", "ok", timeout=10)
    if cache.get("healthz") != "ok":
        raise ConnectionError("the cache does not keep what is written")


def _check_broker():
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=3)


@never_cache
def healthz(request):
    """Database, cache, broker, beat's and the worker's heartbeats; 503 unless all are up, "starting" at first."""
    body, reachable = {}, True
    for name, check in (("database", _check_database), ("cache", _check_cache), ("broker", _check_broker)):
        try:
            check()
            body[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure means "down" here
            body[name] = f"down: {exc.__class__.__name__}"
            reachable = False
    body.update(heartbeats.status(heartbeats.last_ticks() if body["database"] == "ok" else {}))
    states = {body["beat"]["status"], body["worker"]["status"]}
    body["pdf_font_subsetting"] = (
        "ok" if harfbuzz_subset_available() else "missing libharfbuzz-subset0: PDFs will be slow"
    )
    if not reachable or "stale" in states:
        body["status"] = "down"
    else:
        body["status"] = "starting" if "starting" in states else "ok"
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503, json_dumps_params={"ensure_ascii": False})
