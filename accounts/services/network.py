"""External network requests: filing one and its steps."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.exceptions import ActionRefused
from portal.notifications import notify_roles
from portal.roles import Role
from portal.workflow import perform

from ..models import NetworkRequest
from .common import file_request


def network_request_submit(*, by, computer, reason):
    request = file_request(NetworkRequest, "WW", by=by, computer=computer, reason=reason)
    notify_roles(
        [Role.LEADER],
        title=gettext_lazy("External network request %(number)s awaits approval"),
        url=request.get_absolute_url(),
        params={"number": request.number},
    )
    return request


def network_request_act(*, request, action, by, comment="", **arguments):
    """The one entry point for a network request's steps; an IP address already in use is refused first."""
    if action == "open_access":
        clash = NetworkRequest.objects.filter(
            state=NetworkRequest.State.ACTIVE, ip_address=arguments.get("ip_address")
        ).exclude(pk=request.pk)
        if clash.exists():
            raise ActionRefused(_("This IP address is already assigned to another computer with internet access."))
    return perform(request, action, by=by, comment=comment, **arguments)
