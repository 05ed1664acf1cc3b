"""The service pages of accounts: filing a new record, and a form about one record."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from portal.views.generic import ServiceFormView, ServiceObjectFormView


class FilingView(ServiceFormView):
    """A form whose service files a new numbered record (``file(**cleaned_data)``) and opens its page."""

    filed_message = _("Request %(number)s submitted.")

    def file(self, **data):
        raise NotImplementedError

    def perform(self, form):
        return self.file(**form.cleaned_data)

    @property
    def success_message(self):
        return self.filed_message % {"number": self.result.number}

    def get_success_url(self):
        return self.result.get_absolute_url()


class ObjectFormView(ServiceObjectFormView):
    """A :class:`ServiceObjectFormView` that asks the role before looking the object up, so a wrong role is 403."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.permits(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
