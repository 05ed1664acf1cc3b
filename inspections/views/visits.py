"""The visitor register: registering a visit, its page, its steps and its history."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from portal.views.generic import ObjectCreateView, ObjectDetailView, ObjectHistoryView, ObjectListView, TransitionView

from .. import selectors, services
from ..filters import VisitFilter
from ..forms import CheckInForm, CommentForm, VisitForm
from ..models import Visit
from ..permissions import READERS, RECORDERS
from ..policy import VISIT_RULES, forbidden_items
from ..tables import VisitTable


class VisitRulesMixin:
    """The machine-room policy's list of what may not be brought in, and its access rules, on the page."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(forbidden_items=forbidden_items(), visit_rules=VISIT_RULES, **kwargs)


class VisitListView(VisitRulesMixin, ObjectListView):
    model = Visit
    allowed_roles = READERS
    table_class = VisitTable
    filterset_class = VisitFilter
    title = _("Visitor register")
    template_name = "inspections/visit_list.html"
    create_url = reverse_lazy("inspections:visit_create")

    def get_queryset(self):
        return super().get_queryset().select_related("room", "escort")

    def get_context_data(self, **kwargs):
        return super().get_context_data(in_room=selectors.visitors_in_room(), **kwargs)


class VisitCreateView(VisitRulesMixin, ObjectCreateView):
    model = Visit
    form_class = VisitForm
    allowed_roles = RECORDERS
    template_name = "inspections/visit_form.html"
    title = _("Register a machine-room visit")
    success_message = _("The visit is registered and awaits the machine-room lead's approval.")

    def save_form(self, form):
        form.instance.requested_by = self.request.user
        response = super().save_form(form)
        services.visit_registered(visit=self.object)
        return response


class VisitDetailView(VisitRulesMixin, ObjectDetailView):
    model = Visit
    allowed_roles = READERS
    template_name = "inspections/visit_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("room", "requested_by", "approved_by", "escort")


class VisitTransitionView(TransitionView):
    model = Visit
    allowed_roles = RECORDERS
    forms = {"check_in": CheckInForm, "reject": CommentForm, "cancel": CommentForm}

    def run(self, obj, action, **arguments):
        return services.take_step(obj, action, by=self.request.user, **arguments)


class VisitHistoryView(ObjectHistoryView):
    model = Visit
    allowed_roles = READERS
