"""The register of items carried out of the machine rooms: registering an item, its approval, its page."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from portal.views.generic import (
    ObjectDetailView,
    ObjectHistoryView,
    ObjectListView,
    ServiceFormView,
    TransitionView,
)

from .. import services
from ..filters import ItemRemovalFilter
from ..forms import CommentForm, ItemRemovalForm
from ..models import ItemRemoval
from ..permissions import READERS, RECORDERS
from ..policy import REMOVAL_RULES
from ..tables import ItemRemovalTable


class RemovalRulesMixin:
    """The machine-room policy's rule on carrying items out, on the page."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(removal_rules=REMOVAL_RULES, **kwargs)


class ItemRemovalListView(RemovalRulesMixin, ObjectListView):
    model = ItemRemoval
    allowed_roles = READERS
    table_class = ItemRemovalTable
    filterset_class = ItemRemovalFilter
    title = _("Register of items carried out")
    template_name = "inspections/removal_list.html"
    create_url = reverse_lazy("inspections:removal_create")

    def get_queryset(self):
        return super().get_queryset().select_related("room", "approved_by")


class ItemRemovalCreateView(RemovalRulesMixin, ServiceFormView):
    form_class = ItemRemovalForm
    allowed_roles = RECORDERS
    template_name = "inspections/removal_form.html"
    title = _("Register an item to be carried out")
    success_message = _("The item is registered and awaits the machine-room lead's approval before it is carried out.")

    def perform(self, form):
        return services.register_removal(by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.result.get_absolute_url()


class ItemRemovalDetailView(RemovalRulesMixin, ObjectDetailView):
    model = ItemRemoval
    allowed_roles = READERS
    template_name = "inspections/removal_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("room", "requested_by", "approved_by", "released_by")


class ItemRemovalTransitionView(TransitionView):
    model = ItemRemoval
    allowed_roles = RECORDERS
    forms = {"reject": CommentForm, "cancel": CommentForm}

    def run(self, obj, action, **arguments):
        return services.take_step(obj, action, by=self.request.user, **arguments)


class ItemRemovalHistoryView(ObjectHistoryView):
    model = ItemRemoval
    allowed_roles = READERS
