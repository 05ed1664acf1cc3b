"""The second factor's pages: enrol an authenticator app (QR code, then recovery codes), confirm a login, reset."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from portal.exceptions import ActionRefused
from portal.forms import BoundedForm
from portal.permissions import RoleRequiredMixin
from portal.qr import qr_data_uri
from portal.roles import Role

from .. import second_factor
from ..models import User


class CodeForm(BoundedForm):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class SecondFactorStep(LoginRequiredMixin, View):
    template_name = ""

    def get(self, request):
        if request.user.is_verified():
            return redirect("portal:dashboard")
        return self.page(CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                return self.confirmed(form.cleaned_data["token"])
            except ActionRefused as refused:
                form.add_error("token", refused.message)
        return self.page(form, status=200)

    def page(self, form, status=200, **context):
        return render(self.request, self.template_name, {"form": form, **self.extra(), **context}, status=status)

    def extra(self):
        return {}


class EnrolView(SecondFactorStep):
    template_name = "registration/second_factor_enrol.html"

    def extra(self):
        device = second_factor.pending_device(self.request.user)
        return {"qr": qr_data_uri(device.config_url), "secret": _base32(device)}

    def confirmed(self, token):
        codes = second_factor.enrol(self.request, token)
        return render(self.request, "registration/second_factor_codes.html", {"codes": codes})


class VerifyView(SecondFactorStep):
    template_name = "registration/second_factor_verify.html"

    def get(self, request):
        if not second_factor.enrolled(request.user):  # reset by the IT head since this session began
            request.session[second_factor.ENROLLED_KEY] = False
            return redirect("portal:dashboard")
        return super().get(request)

    def confirmed(self, token):
        second_factor.verify(self.request, token)
        return redirect("portal:dashboard")


class ResetView(RoleRequiredMixin, View):
    """POST: the IT head removes a member of staff's authenticator; they enrol again at their next login."""

    allowed_roles = (Role.IT_HEAD,)

    def post(self, request, pk):
        user = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
        try:
            second_factor.reset(user=user, by=request.user)
        except ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The second factor of %(user)s is reset.") % {"user": user})
        return redirect(user.get_absolute_url())


def _base32(device):
    from base64 import b32encode

    return b32encode(device.bin_key).decode()
