"""The officers who look after a machine room: the IT head assigns and releases them (django-guardian)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import BoundedForm
from portal.people import people_with
from portal.views.generic import ServiceObjectFormView

from .. import services
from ..models import MachineRoom
from ..permissions import MACHINE_ROOM_LEAD, RECORDERS


class RoomOfficerForm(BoundedForm):
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=people_with(*RECORDERS).order_by("username"))
    change = forms.ChoiceField(
        choices=[("assign", _("Assign")), ("unassign", _("Release"))], initial="assign", widget=forms.HiddenInput
    )


class RoomOfficerView(ServiceObjectFormView):
    """Assign an officer to the room, or release one: an officer with rooms records rounds only in those."""

    model = MachineRoom
    form_class = RoomOfficerForm
    allowed_roles = MACHINE_ROOM_LEAD
    title = _("Officers of the machine room")
    success_message = _("The room's officers are updated.")

    def perform(self, form):
        step = services.room_assign if form.cleaned_data["change"] == "assign" else services.room_unassign
        return step(room=self.object, officer=form.cleaned_data["officer"], by=self.request.user)
