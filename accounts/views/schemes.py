"""Access schemes (001 一(三)8): a system's page with its schemes, proposing one, and the leader's approval."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from portal.views.generic import ObjectDetailView, ObjectListView, TransitionView

from .. import services
from ..forms import AccessSchemeForm, ReasonForm
from ..models import AccessScheme, AccessSchemeLine, InformationSystem
from ..permissions import scheme_proposal_refusal
from ..tables import AccessSchemeTable
from .common import ObjectFormView

LINES = Prefetch("lines", queryset=AccessSchemeLine.objects.select_related("module"))


class SystemDetailView(ObjectDetailView):
    """A system's page: its modules, the scheme in force with whom each module is allotted to, and every version."""

    model = InformationSystem
    queryset = InformationSystem.objects.select_related("owner")
    template_name = "accounts/system_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        schemes = list(
            self.object.schemes.select_related("proposed_by", "decided_by").prefetch_related(LINES).order_by("-version")
        )
        context["schemes"] = schemes
        context["current"] = next((s for s in schemes if s.state == AccessScheme.State.APPROVED), None)
        context["proposal_refusal"] = scheme_proposal_refusal(self.request.user, self.object)
        return context


class AccessSchemePage:
    model = AccessScheme


class AccessSchemeListView(AccessSchemePage, ObjectListView):
    queryset = AccessScheme.objects.select_related("system", "proposed_by", "decided_by")
    table_class = AccessSchemeTable
    filterset_fields = ["system", "state"]


class AccessSchemeDetailView(AccessSchemePage, ObjectDetailView):
    queryset = AccessScheme.objects.select_related("system__owner", "proposed_by", "decided_by").prefetch_related(LINES)
    template_name = "accounts/scheme_detail.html"


class AccessSchemeTransitionView(AccessSchemePage, TransitionView):
    forms = {"reject": ReasonForm}

    def run(self, obj, action, **arguments):
        return services.access_scheme_act(scheme=obj, action=action, by=self.request.user, **arguments)


class AccessSchemeProposeView(ObjectFormView):
    """The system owner (or, for a system without one, the IT head) proposes the next version of its scheme."""

    model = InformationSystem
    form_class = AccessSchemeForm
    success_message = _("Scheme proposed; it takes effect once a leader approves it.")

    def refusal(self, system):
        return scheme_proposal_refusal(self.request.user, system)

    def get_title(self):
        return _("Propose an access scheme for %(system)s") % {"system": self.object.name}

    def get_form_kwargs(self):
        current = AccessScheme.objects.current().filter(system=self.object).prefetch_related("lines").first()
        return {**super().get_form_kwargs(), "system": self.object, "current": current}

    def perform(self, form):
        return services.access_scheme_propose(
            system=self.object, by=self.request.user, lines=form.lines(), note=form.cleaned_data["note"]
        )

    def get_success_url(self):
        return self.result.get_absolute_url()
