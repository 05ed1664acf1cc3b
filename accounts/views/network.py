"""External network requests: the list, filing one, its page and its steps."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from portal.views.generic import ObjectDetailView, ObjectListView, TransitionView

from .. import services
from ..filters import NetworkRequestFilter
from ..forms import NetworkRequestForm, OpenInternetForm, ReasonForm
from ..models import NetworkRequest
from ..permissions import REQUEST_PAGE_ROLES
from ..tables import NetworkRequestTable
from .common import FilingView


class NetworkRequestPage:
    model = NetworkRequest
    allowed_roles = REQUEST_PAGE_ROLES


class NetworkRequestListView(NetworkRequestPage, ObjectListView):
    queryset = NetworkRequest.objects.select_related("applicant", "department", "computer")
    filterset_class = NetworkRequestFilter
    table_class = NetworkRequestTable
    title = _("External network requests")
    create_url = reverse_lazy("accounts:network_request_create")


class NetworkRequestCreateView(FilingView):
    allowed_roles = REQUEST_PAGE_ROLES
    form_class = NetworkRequestForm

    def file(self, **data):
        return services.network_request_submit(by=self.request.user, **data)


class NetworkRequestDetailView(NetworkRequestPage, ObjectDetailView):
    queryset = NetworkRequest.objects.select_related("applicant", "department", "computer", "approver", "opened_by")
    template_name = "accounts/network_request_detail.html"


class NetworkRequestTransitionView(NetworkRequestPage, TransitionView):
    forms = {"open_access": OpenInternetForm, "reject": ReasonForm, "revoke": ReasonForm}

    def run(self, obj, action, **arguments):
        return services.network_request_act(request=obj, action=action, by=self.request.user, **arguments)
