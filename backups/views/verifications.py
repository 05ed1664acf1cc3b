"""Verifications and restore tests: the register, and a manual one recorded with its log."""

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from portal.params import int_param
from portal.permissions import visible
from portal.views.generic import ObjectDetailView, ObjectListView, ServiceFormView

from .. import services
from ..filters import VerificationFilter
from ..forms import VerificationForm
from ..models import BackupTarget, Verification
from ..permissions import MANAGE_ROLES
from ..tables import VerificationTable
from .common import ReadMixin, ResultPageMixin


class VerificationListView(ReadMixin, ObjectListView):
    model = Verification
    queryset = Verification.objects.select_related("target", "operator", "witness")
    filterset_class = VerificationFilter
    table_class = VerificationTable
    create_url = reverse_lazy("backups:verification_create")


class VerificationDetailView(ReadMixin, ObjectDetailView):
    model = Verification
    queryset = Verification.objects.select_related("target", "backup_run", "operator", "witness")
    template_name = "backups/verification_detail.html"


class VerificationCreateView(ResultPageMixin, ServiceFormView):
    """A manual verification or restore test of one backup run (``?target=``), the operator being the person
    recording it; without a target the page asks which one first."""

    allowed_roles = MANAGE_ROLES
    form_class = VerificationForm
    title = _("Record a verification")
    success_message = _("Saved.")

    def dispatch(self, request, *args, **kwargs):
        self.target = None
        target = int_param(request.GET, "target")
        if request.user.is_authenticated and target is not None:
            self.target = get_object_or_404(visible(BackupTarget.objects.all(), request.user), pk=target)
        return super().dispatch(request, *args, **kwargs)

    def get_template_names(self):
        return ["backups/verification_form.html" if self.target else "backups/verification_target.html"]

    def get_form(self, form_class=None):
        if self.target is None:
            return None
        return VerificationForm(target=self.target, **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["target"] = self.target
        context["targets"] = BackupTarget.objects.filter(is_active=True)
        return context

    def post(self, request, *args, **kwargs):
        if self.target is None:
            return redirect("backups:verification_create")
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        data = dict(form.cleaned_data)
        log_files = data.pop("log_files")
        user = self.request.user
        return services.verification_record(target=self.target, operator=user, log_files=log_files, by=user, **data)
