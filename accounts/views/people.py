"""Signing in and out, a member of staff's page, and the list of information systems."""

from django.contrib.auth import views as auth_views
from django.contrib.messages.views import SuccessMessageMixin
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from portal.views.generic import ObjectDetailView, ObjectListView

from .. import second_factor
from ..forms import LoginForm
from ..lockout import current_lock
from ..models import InformationSystem, RoleChange, User
from ..permissions import may_read_holdings
from ..selectors import object_permissions, user_holdings
from ..tables import InformationSystemTable


class PortalLoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class PortalLogoutView(auth_views.LogoutView):
    pass


class PortalPasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("portal:dashboard")
    success_message = _("Your password has been changed.")


def locked_out(request, response=None, credentials=None):
    """Lockout page (django-axes): says the account is locked and when it unlocks."""
    lock = current_lock(request, credentials or request.axes_credentials)
    context = {"unlock_at": lock.until, "failure_limit": lock.limit}
    return render(request, "registration/locked.html", context, status=429)


class UserDetailView(ObjectDetailView):
    """A user's page: who they are, and what they hold."""

    model = User
    template_name = "accounts/user_detail.html"
    context_object_name = "person"  # ``user`` is the viewer: the navbar and menus read it

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if may_read_holdings(self.request.user, self.object):
            context.update(user_holdings(self.object))
        context["object_permissions"] = object_permissions(self.object, viewer=self.request.user)
        context["second_factor_enrolled"] = second_factor.enrolled(self.object)
        context["may_reset_second_factor"] = not second_factor.reset_refusal(user=self.object, by=self.request.user)
        context["role_changes"] = (
            RoleChange.objects.visible_to(self.request.user).filter(user=self.object).select_related("changed_by")
        )
        return context


class SystemListView(ObjectListView):
    model = InformationSystem
    queryset = InformationSystem.objects.filter(is_active=True).select_related("owner").prefetch_related("modules")
    table_class = InformationSystemTable
    title = _("Information systems")
