"""The role page: give and take roles with a reason, the record of every change, and the conflicts to resolve."""

from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from portal.people import people
from portal.permissions import RoleRequiredMixin
from portal.roles import INCOMPATIBLE_ROLES, ROLE_GRANTERS, Role
from portal.views.generic import ObjectListView, ServiceFormView

from ..forms import RoleChangeForm
from ..models import RoleChange
from ..permissions import ROLE_CHANGE_READERS
from ..services import role_change, role_conflicts_now
from ..tables import RoleChangeTable


class RoleChangeListView(ObjectListView):
    model = RoleChange
    queryset = RoleChange.objects.select_related("user", "changed_by")
    table_class = RoleChangeTable
    allowed_roles = ROLE_CHANGE_READERS
    template_name = "accounts/role_change_list.html"
    create_url = reverse_lazy("accounts:role_change_create")


class RoleChangeCreateView(ServiceFormView):
    """Give or take one role; ``?user=<pk>`` opens the form for that member of staff."""

    form_class = RoleChangeForm
    allowed_roles = ROLE_GRANTERS
    title = _("Give or take a role")
    template_name = "accounts/role_change_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["incompatible"] = [(Role(first).label, Role(second).label) for first, second in INCOMPATIBLE_ROLES]
        return context

    def get_initial(self):
        user = self.request.GET.get("user", "")
        return {"user": int(user)} if user.isdigit() else {}

    def perform(self, form):
        data = form.cleaned_data
        return role_change(
            user=data["user"], role=data["role"], give=data["change"], reason=data["reason"], by=self.request.user
        )

    @property
    def success_message(self):
        return _("Recorded: %(change)s.") % {"change": self.result}

    def get_success_url(self):
        return reverse("accounts:user_detail", args=[self.result.user_id])


class RoleConflictListView(RoleRequiredMixin, TemplateView):
    """Logins that break 003 (八)14 or 000 保密制度 6 today, for the IT head to resolve."""

    allowed_roles = ROLE_GRANTERS
    template_name = "accounts/role_conflict_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["conflicts"] = role_conflicts_now(people().select_related("department"))
        return context
