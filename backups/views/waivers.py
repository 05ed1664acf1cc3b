"""Off-site copy waivers: asked for from a plan's page, decided by the IT head on the waiver's page."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.views.generic import ObjectDetailView, ObjectListView, ServiceObjectFormView, TransitionView

from .. import services
from ..filters import OffsiteWaiverFilter
from ..forms import OffsiteWaiverForm
from ..models import BackupTarget, OffsiteWaiver
from ..permissions import MANAGE_ROLES
from ..tables import OffsiteWaiverTable
from .common import ReadMixin, ResultPageMixin


class OffsiteWaiverListView(ReadMixin, ObjectListView):
    model = OffsiteWaiver
    queryset = OffsiteWaiver.objects.select_related("target", "requested_by", "decided_by")
    filterset_class = OffsiteWaiverFilter
    table_class = OffsiteWaiverTable
    title = gettext_lazy("Off-site copy waivers")


class OffsiteWaiverDetailView(ReadMixin, ObjectDetailView):
    model = OffsiteWaiver
    queryset = OffsiteWaiver.objects.select_related("target", "requested_by", "decided_by")
    template_name = "backups/offsite_waiver_detail.html"
    extra_context = {"action_url_name": "backups:offsite_waiver_action"}


class OffsiteWaiverRequestView(ResultPageMixin, ServiceObjectFormView):
    """On a plan's page: ask the IT head to let the plan stop keeping an off-site copy, with the reason."""

    model = BackupTarget
    allowed_roles = MANAGE_ROLES
    form_class = OffsiteWaiverForm
    title = gettext_lazy("Ask to stop the off-site copy")
    success_message = gettext_lazy("Sent to the IT head; the plan keeps its off-site copy until it is approved.")

    def refusal(self, target):
        if not target.offsite_copy:
            return _("This plan no longer keeps an off-site copy.")
        if target.offsite_waivers.filter(state=OffsiteWaiver.State.PENDING).exists():
            return _("This plan already has a waiver request awaiting the IT head.")
        return None

    def perform(self, form):
        return services.offsite_waiver_request(target=self.object, by=self.request.user, **form.cleaned_data)


class OffsiteWaiverActionView(ReadMixin, TransitionView):
    """Approve or reject, through the app's one entry point for workflow steps."""

    model = OffsiteWaiver

    def run(self, obj, action, **arguments):
        return services.take_step(obj, action, by=self.request.user, **arguments)
