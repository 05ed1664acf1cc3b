"""Access recertification: the campaigns, one campaign's items, and each reviewer's answer."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from portal.permissions import RoleRequiredMixin, VisibleQuerysetMixin, visible
from portal.views.generic import ServiceActionView

from .. import services
from ..models import RecertificationCampaign, RecertificationItem
from ..permissions import RECERTIFICATION_ROLES, RECERTIFIERS


class RecertificationPage(RoleRequiredMixin, VisibleQuerysetMixin):
    model = RecertificationCampaign
    allowed_roles = RECERTIFICATION_ROLES

    def items(self):
        """The items this user may see: those named for them, or all for IT, leaders and the auditor."""
        return visible(RecertificationItem.objects.all(), self.request.user)


class RecertificationListView(RecertificationPage, ListView):
    template_name = "accounts/recertification_list.html"

    def get_queryset(self):
        mine = self.items()
        return (
            super()
            .get_queryset()
            .annotate(
                total=Count("items", filter=Q(items__in=mine)),
                pending=Count("items", filter=Q(items__in=mine, items__decision=RecertificationItem.Decision.PENDING)),
                revoked=Count("items", filter=Q(items__in=mine, items__decision=RecertificationItem.Decision.REVOKED)),
            )
        )


class RecertificationDetailView(RecertificationPage, DetailView):
    template_name = "accounts/recertification_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = (
            self.items()
            .filter(campaign=self.object)
            .select_related("grant__user", "grant__system", "department", "reviewer")
            .prefetch_related("grant__modules")
        )
        state = self.request.GET.get("decision")
        if state in RecertificationItem.Decision.values:
            items = items.filter(decision=state)
        context["page_obj"] = Paginator(items, 100).get_page(self.request.GET.get("page"))
        context["decision"] = state or ""
        context["decisions"] = RecertificationItem.Decision.choices
        return context


class RecertificationDecideView(ServiceActionView):
    model = RecertificationItem
    queryset = RecertificationItem.objects.select_related("grant", "campaign")
    allowed_roles = RECERTIFIERS

    def act(self, item):
        return services.recertification_decide(item=item, decision=self.kwargs["decision"], by=self.request.user)

    @property
    def success_message(self):
        return _("%(grant)s: %(decision)s") % {
            "grant": self.object.grant,
            "decision": self.object.get_decision_display(),
        }

    def get_success_url(self):
        return self.object.campaign.get_absolute_url()
