"""Departures and transfers: the list, HR's opening form, the page of open lines, its steps and the handover."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from portal.views.generic import ObjectDetailView, ObjectListView, ServiceActionView, TransitionView

from .. import services
from ..filters import DepartureFilter
from ..forms import DepartureForm, ReasonForm
from ..models import Departure, Grant
from ..permissions import DEPARTURE_OPENERS, DEPARTURE_PAGE_ROLES, HANDOVER_RECORDERS
from ..tables import DepartureTable
from .common import FilingView


class DepartureListView(ObjectListView):
    model = Departure
    queryset = Departure.objects.select_related("user", "from_department", "to_department")
    filterset_class = DepartureFilter
    table_class = DepartureTable
    allowed_roles = DEPARTURE_PAGE_ROLES
    create_url = reverse_lazy("accounts:departure_create")


class DepartureCreateView(FilingView):
    form_class = DepartureForm
    allowed_roles = DEPARTURE_OPENERS
    filed_message = _("%(number)s opened; IT has been asked to revoke access.")

    def file(self, **data):
        return services.departure_open(by=self.request.user, **data)


class DepartureDetailView(ObjectDetailView):
    model = Departure
    queryset = Departure.objects.select_related("user", "from_department", "to_department", "successor", "opened_by")
    template_name = "accounts/departure_detail.html"
    allowed_roles = DEPARTURE_PAGE_ROLES

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object.is_open:
            context["open_lines"] = services.departure_open_lines(self.object)
        context["closed_grants"] = Grant.objects.filter(
            user=self.object.user, state=Grant.State.REVOKED, revoked_at__gte=self.object.opened_at
        ).select_related("system", "revoked_by")
        return context


class DepartureTransitionView(TransitionView):
    model = Departure
    allowed_roles = DEPARTURE_OPENERS
    forms = {"cancel": ReasonForm}

    def run(self, obj, action, **arguments):
        return services.departure_act(departure=obj, action=action, by=self.request.user, **arguments)


class DepartureNetworkHandoverView(ServiceActionView):
    model = Departure
    allowed_roles = HANDOVER_RECORDERS
    success_message = _("Network handover recorded.")

    def act(self, departure):
        return services.departure_record_network_handover(departure=departure, by=self.request.user)
