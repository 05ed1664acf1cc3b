"""Abnormal inspection findings: the list, one finding's page, and closing it."""

from django.utils.translation import gettext_lazy as _

from portal.attachments import attachments_of
from portal.views.generic import ObjectDetailView, ObjectListView, ServiceObjectFormView

from .. import selectors, services
from ..filters import AbnormalityFilter
from ..forms import AbnormalityCloseForm
from ..models import InspectionRound, RoundResult
from ..permissions import READERS, RECORDERS
from ..tables import AbnormalityTable


class AbnormalityListView(ObjectListView):
    model = RoundResult
    allowed_roles = READERS
    table_class = AbnormalityTable
    filterset_class = AbnormalityFilter
    title = _("Abnormal inspection findings")
    template_name = "inspections/abnormality_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(is_abnormal=True, round__state=InspectionRound.State.SUBMITTED)
            .select_related("item", "round__room", "round__template")
            .order_by("-round__period_start", "pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(counts=selectors.abnormality_counts(), **kwargs)


class AbnormalityMixin:
    """One abnormal finding and the panels of its page; repair tickets point here through
    ``RepairTicket.inspection_result``."""

    model = RoundResult
    template_name = "inspections/abnormality_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(is_abnormal=True)
            .select_related("item", "round__room", "round__template", "closed_by")
        )

    def get_context_data(self, **kwargs):
        result = self.object
        tickets = list(result.repair_tickets.order_by("-id"))
        return super().get_context_data(
            reported=next((ticket for ticket in tickets if ticket.state != ticket.State.CANCELLED), None),
            tickets=tickets,
            corrections=result.corrections.select_related("corrected_by"),
            attachments=attachments_of(result),
            **kwargs,
        )


class AbnormalityDetailView(AbnormalityMixin, ObjectDetailView):
    allowed_roles = READERS

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=AbnormalityCloseForm(), **kwargs)


class AbnormalityCloseView(AbnormalityMixin, ServiceObjectFormView):
    """Close an open abnormal finding with how it was resolved; a closed one is refused with the reason."""

    form_class = AbnormalityCloseForm
    allowed_roles = RECORDERS
    success_message = _("The abnormality is closed.")

    def refusal(self, result):
        return services.abnormality_refusal(result)

    def perform(self, form):
        return services.abnormality_close(
            result=self.object, resolution=form.cleaned_data["resolution"], by=self.request.user
        )
