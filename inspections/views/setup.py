"""The machine rooms and the inspection templates: their pages, and their edits by the machine-room lead."""

import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from portal.params import int_param, month_param
from portal.permissions import RoleRequiredMixin, visible
from portal.views.generic import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ServiceObjectFormView,
)

from .. import selectors, services
from ..charts import trend_svg
from ..forms import MachineRoomForm, TemplateForm, TemplateItemFormSet
from ..models import InspectionTemplate, MachineRoom, TemplateItem
from ..permissions import MACHINE_ROOM_LEAD, READERS
from .rounds import grouped

TREND_DAYS = (30, 90, 365)
# The first month a room's calendar goes back to.
EARLIEST_MONTH = datetime.date(2000, 1, 1)


class SetupListView(RoleRequiredMixin, TemplateView):
    """A short list of every room or template, drawn by its own page."""

    allowed_roles = READERS
    context_name = ""

    def rows(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        return super().get_context_data(**{self.context_name: visible(self.rows(), self.request.user)}, **kwargs)


class TemplateListView(SetupListView):
    template_name = "inspections/template_list.html"
    context_name = "templates"

    def rows(self):
        return InspectionTemplate.objects.prefetch_related("versions")


class TemplateDetailView(ObjectDetailView):
    model = InspectionTemplate
    allowed_roles = READERS
    template_name = "inspections/template_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = list(
            self.object.versions.select_related("created_by").prefetch_related(
                Prefetch("items", TemplateItem.objects.order_by("order", "pk"))
            )
        )
        wanted = self.request.GET.get("version")
        shown = next((v for v in versions if str(v.number) == wanted), versions[0] if versions else None)
        context.update(
            versions=versions,
            shown=shown,
            groups=grouped(shown.items.all(), item_of=lambda item: item) if shown else [],
        )
        return context


class TemplateEditView(ServiceObjectFormView):
    """Editing a template saves a new version; rounds already recorded keep theirs."""

    model = InspectionTemplate
    form_class = TemplateForm
    allowed_roles = MACHINE_ROOM_LEAD
    template_name = "inspections/template_form.html"

    def get_form_kwargs(self):
        # A copy, so that a refused edit leaves the page's own object (its title and links) as it was.
        return {**super().get_form_kwargs(), "instance": InspectionTemplate.objects.get(pk=self.object.pk)}

    def get_formset(self):
        if self.request.method == "POST":
            return TemplateItemFormSet(self.request.POST, prefix="items")
        initial = [
            {field: getattr(item, field) for field in services.ITEM_FIELDS if field != "order"} | {"ORDER": item.order}
            for item in self.object.current_version.items.all()
        ]
        return TemplateItemFormSet(initial=initial, prefix="items")

    @cached_property
    def formset(self):
        return self.get_formset()

    def get_context_data(self, **kwargs):
        title = _("Edit %(object)s") % {"object": self.object}
        return super().get_context_data(title=title, formset=self.formset, **kwargs)

    def form_valid(self, form):
        if not self.formset.is_valid():
            return self.form_invalid(form)
        return super().form_valid(form)

    def perform(self, form):
        items = [
            {**item_form.cleaned_data, "order": index}
            for index, item_form in enumerate(self.formset.ordered_forms, start=1)
        ]
        return services.template_revise(
            template=self.object,
            items=items,
            by=self.request.user,
            change_note=form.cleaned_data["change_note"],
            name=form.cleaned_data["name"],
            is_active=form.cleaned_data["is_active"],
        )

    @property
    def success_message(self):
        return _("Saved as version %(number)s.") % {"number": self.result.number}


class RoomListView(SetupListView):
    template_name = "inspections/room_list.html"
    context_name = "rooms"

    def rows(self):
        return MachineRoom.objects.all()


class RoomDetailView(ObjectDetailView):
    """A room's month calendar (done / missed / abnormal) and its temperature and humidity trend."""

    model = MachineRoom
    allowed_roles = READERS
    template_name = "inspections/room_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        room = self.object
        today = timezone.localdate()
        month = month_param(
            self.request.GET, "month", default=today.replace(day=1), earliest=EARLIEST_MONTH, latest=today
        )
        previous_month = (month - datetime.timedelta(days=1)).replace(day=1)
        next_month = (month + datetime.timedelta(days=32)).replace(day=1)
        days = int_param(self.request.GET, "days", default=30, max_value=max(TREND_DAYS))
        days = days if days in TREND_DAYS else 30
        series = selectors.room_readings(room, today - datetime.timedelta(days=days - 1), today)
        panels = [
            {
                "title": title,
                "unit": unit,
                "points": series[measure],
                "low": getattr(room, f"{measure.value}_min"),
                "high": getattr(room, f"{measure.value}_max"),
            }
            for measure, title, unit in (
                (TemplateItem.Measure.TEMPERATURE, _("Temperature"), "°C"),
                (TemplateItem.Measure.HUMIDITY, _("Humidity"), "%"),
            )
        ]
        context.update(
            month=month,
            previous_month=previous_month,
            next_month=next_month if next_month <= today.replace(day=1) else None,
            weeks=selectors.room_month(room, month.year, month.month),
            days=days,
            trend_days=TREND_DAYS,
            chart=mark_safe(trend_svg(panels)) if any(panel["points"] for panel in panels) else "",
            weekday_names=[WEEKDAYS_ABBR[index] for index in range(7)],
            officers=services.room_officers(room),
        )
        return context


class RoomFormMixin:
    model = MachineRoom
    form_class = MachineRoomForm
    allowed_roles = MACHINE_ROOM_LEAD


class RoomCreateView(RoomFormMixin, ObjectCreateView):
    pass


class RoomEditView(RoomFormMixin, ObjectEditView):
    pass


class RoomHistoryView(ObjectHistoryView):
    model = MachineRoom
    allowed_roles = READERS
