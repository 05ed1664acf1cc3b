"""The backup board, the targets with their plans, and the buttons on a target's page."""

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from portal import jobs
from portal.exceptions import ActionRefused
from portal.params import int_param
from portal.permissions import RoleRequiredMixin
from portal.views.generic import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    ServiceActionView,
)

from .. import services, tasks
from ..filters import BackupTargetFilter
from ..forms import BackupTargetForm, ScriptTokenForm
from ..models import BackupRun, BackupTarget, OffsiteWaiver
from ..permissions import MANAGE_ROLES, may_manage
from ..selectors import board_rows
from ..tables import BackupTargetTable
from .common import ReadMixin

TIMELINE_LENGTH = 60


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


class TargetListView(ReadMixin, ObjectListView):
    model = BackupTarget
    queryset = BackupTarget.objects.select_related("responsible_dba", "deputy")
    filterset_class = BackupTargetFilter
    table_class = BackupTargetTable
    create_url = reverse_lazy("backups:target_create")


class TargetDetailView(ReadMixin, ObjectDetailView):
    model = BackupTarget
    template_name = "backups/target_detail.html"

    def timeline(self):
        """Runs, verifications, alerts and server operations of the target, newest first."""
        target = self.object
        sources = (
            ("run", "started_at", target.runs.select_related("operator", "medium")),
            ("verification", "started_at", target.verifications.select_related("operator", "witness")),
            ("alert", "raised_at", target.alerts.all()),
            ("operation", "started_at", target.operations.select_related("operator", "present_dba")),
        )
        events = [
            (kind, getattr(item, when), item) for kind, when, items in sources for item in items[:TIMELINE_LENGTH]
        ]
        events.sort(key=lambda event: event[1], reverse=True)
        return events[: TIMELINE_LENGTH * 2]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        target = self.object
        context["timeline"] = self.timeline()
        context["row"] = next((row for row in board_rows() if row.target.pk == target.pk), None)
        context["waivers"] = target.offsite_waivers.all()[:5]
        context["pending_waiver"] = target.offsite_waivers.filter(state=OffsiteWaiver.State.PENDING).exists()
        if may_manage(self.request.user):
            context["tokens"] = target.tokens.select_related("created_by", "revoked_by")
            context["token_form"] = ScriptTokenForm()
            context["new_token"] = self.request.session.pop(f"backups-token-{target.pk}", None)
        return context


class TargetFormMixin:
    allowed_roles = MANAGE_ROLES
    model = BackupTarget
    form_class = BackupTargetForm


class TargetCreateView(TargetFormMixin, ObjectCreateView):
    title = gettext_lazy("New backup target")


class TargetEditView(TargetFormMixin, ObjectEditView):
    title = gettext_lazy("Edit backup plan")


class TargetHistoryView(ReadMixin, ObjectHistoryView):
    model = BackupTarget


class TargetActionView(ServiceActionView):
    """The buttons on a target's page: issue or revoke a script token, check now, back up now."""

    model = BackupTarget
    allowed_roles = MANAGE_ROLES
    steps = {
        "issue-token": "issue_token",
        "revoke-token": "revoke_token",
        "check-now": "check_now",
        "back-up-now": "back_up_now",
        "require-offsite": "require_offsite",
    }

    def act(self, target):
        step = self.steps.get(self.kwargs["action"])
        if step is None:
            raise ActionRefused(_("Unknown action."))
        return getattr(self, step)(target)

    def issue_token(self, target):
        form = ScriptTokenForm(self.request.POST)
        if not form.is_valid():
            raise ActionRefused(_("Give the token a label saying where the script runs."))
        _token, raw = services.script_token_issue(target=target, label=form.cleaned_data["label"], by=self.request.user)
        # Shown once on the next page; only the hash is stored.
        self.request.session[f"backups-token-{target.pk}"] = raw
        self.success_message = _("Token issued. Copy it now: it will not be shown again.")

    def revoke_token(self, target):
        token = get_object_or_404(target.tokens, pk=int_param(self.request.POST, "token"))
        services.script_token_revoke(token=token, by=self.request.user)
        self.success_message = _("Token revoked: the script can no longer report.")

    def check_now(self, target):
        if not target.auto_verify:
            raise ActionRefused(_("This target has no automatic check: record a manual verification."))
        self.success_message = _("The check has been queued; its result appears on this page.")
        self.queue_check(target)

    def back_up_now(self, target):
        """A failed backup is recorded like any other and flashed as an error, never rolled back as a refusal."""
        if not target.is_builtin:
            raise ActionRefused(_("Only the portal's own database is backed up by the portal."))
        run = services.portal_backup_create(operator=self.request.user)
        if run.status == BackupRun.Status.SUCCESS:
            self.success_message = _("Backup written; its check has been queued.")
            self.queue_check(target)
        else:
            # No confirmation beside the error: the action view flashes none when success_message is empty.
            self.success_message = ""
            messages.error(self.request, _("The backup failed: %(error)s") % {"error": run.error})

    def require_offsite(self, target):
        services.offsite_copy_require(target=target, by=self.request.user)
        self.success_message = _("The plan keeps an off-site copy again.")

    def queue_check(self, target):
        with jobs.deferral_notice(self.request):
            jobs.enqueue(tasks.verify_target, target.pk, self.request.user.pk)
