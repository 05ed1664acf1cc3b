"""The stocktake schedule: when each department's equipment was last reconciled and when it is due again."""

from django.conf import settings
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from portal.permissions import RoleRequiredMixin

from . import reconciliation
from .permissions import READ_ALL_ROLES


class StocktakeScheduleView(RoleRequiredMixin, TemplateView):
    allowed_roles = READ_ALL_ROLES
    template_name = "inventory/stocktake_schedule.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "title": gettext_lazy("Stocktake schedule"),
            "rows": reconciliation.schedule(),
            "interval_days": settings.STOCKTAKE_INTERVAL_DAYS,
        }
