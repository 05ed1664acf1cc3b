import datetime

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from portal.attachments import attachments_of
from portal.exceptions import ActionRefused
from portal.models import Attachment
from portal.params import int_param, month_param
from portal.permissions import RoleRequiredMixin
from portal.roles import Role, has_role
from portal.views.generic import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    TransitionView,
)

from . import selectors, services
from .charts import trend_svg
from .filters import AbnormalityFilter, RoundFilter, VisitFilter
from .forms import (
    AbnormalityCloseForm,
    CheckInForm,
    CommentForm,
    CorrectionForm,
    MachineRoomForm,
    RoundResultForm,
    TemplateForm,
    TemplateItemFormSet,
    VisitForm,
)
from .models import (
    READERS,
    RECORDERS,
    InspectionRound,
    InspectionTemplate,
    MachineRoom,
    RoundResult,
    TemplateItem,
    Visit,
)
from .policy import FORBIDDEN_ITEMS, VISIT_RULES
from .tables import AbnormalityTable, RoundTable, VisitTable

TREND_DAYS = (30, 90, 365)
# The first month a room's calendar goes back to.
EARLIEST_MONTH = datetime.date(2000, 1, 1)


class TodayView(RoleRequiredMixin, TemplateView):
    """Today at a glance: each room's round, the workstation maintenance of the month, who is in the room."""

    allowed_roles = READERS
    template_name = "inspections/today.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        daily = InspectionTemplate.objects.filter(is_active=True, target=InspectionTemplate.Target.MACHINE_ROOM).first()
        monthly = list(InspectionTemplate.objects.filter(is_active=True, target=InspectionTemplate.Target.WORKSTATIONS))
        month_rounds = {
            r.template_id: r
            for r in InspectionRound.objects.filter(template__in=monthly, period_start=today.replace(day=1))
        }
        context.update(
            today=today,
            daily_template=daily,
            rooms=selectors.today_overview(today, daily),
            monthly=[(template, month_rounds.get(template.pk)) for template in monthly],
            visitors=selectors.visitors_in_room(),
            abnormalities=selectors.abnormality_counts(),
            can_record=has_role(self.request.user, *RECORDERS),
        )
        return context


class RoundStartView(RoleRequiredMixin, View):
    """POST: open (or continue) the round of this period for a room or for the workstations."""

    allowed_roles = RECORDERS

    def post(self, request, template_pk, room_pk=None):
        template = get_object_or_404(InspectionTemplate, pk=template_pk)
        room = get_object_or_404(MachineRoom, pk=room_pk) if room_pk else None
        try:
            inspection = services.round_start(template=template, room=room, by=request.user)
        except ActionRefused as refused:
            messages.error(request, refused.message)
            return redirect("inspections:today")
        if inspection.state == InspectionRound.State.SUBMITTED:
            return redirect(inspection)
        return redirect("inspections:round_fill", pk=inspection.pk)


class RoundListView(ObjectListView):
    model = InspectionRound
    allowed_roles = READERS
    table_class = RoundTable
    filterset_class = RoundFilter
    title = _("Inspection rounds")

    def get_queryset(self):
        return super().get_queryset().select_related("room", "template", "version", "inspector")


def _grouped(rows, item_of=lambda row: row.item):
    groups = {}
    for row in rows:
        groups.setdefault(item_of(row).get_group_display(), []).append(row)
    return list(groups.items())


class RoundDetailView(ObjectDetailView):
    model = InspectionRound
    allowed_roles = READERS
    template_name = "inspections/round_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("room", "template", "version", "inspector")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        results = list(self.object.results.select_related("item", "closed_by"))
        photos = {}
        for attachment in Attachment.objects.filter(
            content_type__app_label="inspections",
            content_type__model="roundresult",
            object_id__in=[r.pk for r in results],
        ):
            photos.setdefault(attachment.object_id, []).append(attachment)
        corrections = list(self.object.corrections.select_related("result__item", "corrected_by"))
        corrected = {correction.result_id for correction in corrections}
        for result in results:
            result.photos = photos.get(result.pk, [])
            result.is_corrected = result.pk in corrected
        context.update(
            groups=_grouped(results),
            corrections=corrections,
            can_record=has_role(self.request.user, *RECORDERS),
        )
        return context


class RoundFillView(RoleRequiredMixin, View):
    """The phone page: one card per item; save as draft any time, submit when every finding is complete."""

    allowed_roles = RECORDERS
    template_name = "inspections/round_fill.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and has_role(request.user, *RECORDERS):
            self.inspection = get_object_or_404(
                InspectionRound.objects.select_related("room", "template", "version"), pk=kwargs["pk"]
            )
            if self.inspection.state != InspectionRound.State.DRAFT:
                messages.info(request, _("A submitted round is read-only; record a correction instead."))
                return redirect(self.inspection)
        return super().dispatch(request, *args, **kwargs)

    def get_forms(self, data=None, files=None, submitting=False):
        results = self.inspection.results.select_related("item")
        return [RoundResultForm(data, files, result=result, submitting=submitting) for result in results]

    def render(self, forms_):
        groups = {}
        for form in forms_:
            groups.setdefault(form.result.item.get_group_display(), []).append(form)
        error_count = sum(1 for form in forms_ if form.errors)
        return render(
            self.request,
            self.template_name,
            {"object": self.inspection, "groups": list(groups.items()), "error_count": error_count},
        )

    def get(self, request, pk):
        return self.render(self.get_forms())

    def post(self, request, pk):
        submitting = "submit" in request.POST
        forms_ = self.get_forms(request.POST, request.FILES, submitting=submitting)
        complete = all(form.is_valid() for form in forms_)
        if not complete and not submitting:
            messages.error(request, _("The round cannot be submitted yet: see the items marked in red."))
            return self.render(forms_)
        # A refused submit keeps what was typed as a draft: every item that is valid as a draft.
        drafts = forms_ if complete else self.get_forms(request.POST, request.FILES)
        try:
            services.round_record(
                inspection=self.inspection, findings=_findings(f for f in drafts if f.is_valid()), by=request.user
            )
        except ActionRefused as refused:
            messages.error(request, refused.message)
            return self.render(forms_)
        if not submitting:
            messages.success(request, _("Saved. The round is not submitted yet."))
            return redirect("inspections:round_fill", pk=self.inspection.pk)
        try:
            if not complete:
                raise ActionRefused(_("The round cannot be submitted yet: see the items marked in red."))
            services.round_submit(inspection=self.inspection, by=request.user)
        except ActionRefused as refused:
            messages.error(request, refused.message)
            messages.info(request, _("What you entered is saved as a draft."))
            return self.render(forms_)
        messages.success(request, _("The round is submitted."))
        return redirect(self.inspection)


def _findings(forms_) -> list[services.Finding]:
    return [
        services.Finding(
            result=form.result,
            status=form.cleaned_data["status"],
            value=form.cleaned_data["value"],
            description=form.cleaned_data["description"],
            photos=form.cleaned_data["photos"],
        )
        for form in forms_
    ]


class RoundCorrectView(RoleRequiredMixin, View):
    allowed_roles = RECORDERS
    template_name = "inspections/round_correct.html"

    def get_round(self, pk):
        return get_object_or_404(InspectionRound.objects.select_related("room", "template"), pk=pk)

    def get(self, request, pk):
        inspection = self.get_round(pk)
        return render(
            request, self.template_name, {"object": inspection, "form": CorrectionForm(inspection=inspection)}
        )

    def post(self, request, pk):
        inspection = self.get_round(pk)
        form = CorrectionForm(request.POST, inspection=inspection)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.round_correct(
                    result=data["result"],
                    status=data["status"],
                    value=data["value"],
                    description=data["description"],
                    reason=data["reason"],
                    by=request.user,
                )
            except ActionRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The correction is recorded."))
                return redirect(inspection)
        return render(request, self.template_name, {"object": inspection, "form": form})


class RoundHistoryView(ObjectHistoryView):
    model = InspectionRound
    allowed_roles = READERS


class TemplateListView(RoleRequiredMixin, TemplateView):
    allowed_roles = READERS
    template_name = "inspections/template_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["templates"] = InspectionTemplate.objects.prefetch_related("versions")
        context["can_edit"] = has_role(self.request.user, Role.IT_HEAD)
        return context


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
            groups=_grouped(shown.items.all(), item_of=lambda item: item) if shown else [],
            can_edit=has_role(self.request.user, Role.IT_HEAD),
        )
        return context


class TemplateEditView(RoleRequiredMixin, View):
    """Editing a template saves a new version; rounds already recorded keep theirs."""

    allowed_roles = (Role.IT_HEAD,)
    template_name = "inspections/template_form.html"

    def get(self, request, pk):
        template = get_object_or_404(InspectionTemplate, pk=pk)
        initial = [
            {field: getattr(item, field) for field in services.ITEM_FIELDS if field != "order"} | {"ORDER": item.order}
            for item in template.current_version.items.all()
        ]
        return self.render(
            template, TemplateForm(instance=template), TemplateItemFormSet(initial=initial, prefix="items")
        )

    def render(self, template, form, formset):
        return render(self.request, self.template_name, {"object": template, "form": form, "formset": formset})

    def post(self, request, pk):
        template = get_object_or_404(InspectionTemplate, pk=pk)
        form = TemplateForm(request.POST, instance=InspectionTemplate.objects.get(pk=pk))
        formset = TemplateItemFormSet(request.POST, prefix="items")
        if form.is_valid() and formset.is_valid():
            items = [
                {**item_form.cleaned_data, "order": index}
                for index, item_form in enumerate(formset.ordered_forms, start=1)
            ]
            try:
                version = services.template_revise(
                    template=template,
                    items=items,
                    by=request.user,
                    change_note=form.cleaned_data["change_note"],
                    name=form.cleaned_data["name"],
                    is_active=form.cleaned_data["is_active"],
                )
            except ActionRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("Saved as version %(number)s.") % {"number": version.number})
                return redirect(template)
        return self.render(template, form, formset)


class RoomListView(RoleRequiredMixin, TemplateView):
    allowed_roles = READERS
    template_name = "inspections/room_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rooms"] = MachineRoom.objects.all()
        context["can_edit"] = has_role(self.request.user, Role.IT_HEAD)
        return context


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
                "title": _("Temperature"),
                "unit": "°C",
                "points": series[TemplateItem.Measure.TEMPERATURE],
                "low": room.temperature_min,
                "high": room.temperature_max,
            },
            {
                "title": _("Humidity"),
                "unit": "%",
                "points": series[TemplateItem.Measure.HUMIDITY],
                "low": room.humidity_min,
                "high": room.humidity_max,
            },
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
            can_edit=has_role(self.request.user, Role.IT_HEAD),
        )
        return context


class RoomCreateView(ObjectCreateView):
    model = MachineRoom
    form_class = MachineRoomForm
    allowed_roles = (Role.IT_HEAD,)


class RoomEditView(ObjectEditView):
    model = MachineRoom
    form_class = MachineRoomForm
    allowed_roles = (Role.IT_HEAD,)


class RoomHistoryView(ObjectHistoryView):
    model = MachineRoom
    allowed_roles = READERS


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
        context = super().get_context_data(**kwargs)
        context["counts"] = selectors.abnormality_counts()
        return context


class AbnormalityDetailView(ObjectDetailView):
    model = RoundResult
    allowed_roles = READERS
    template_name = "inspections/abnormality_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(is_abnormal=True)
            .select_related("item", "round__room", "round__template", "closed_by")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_abnormality_context(self.request.user, self.object), form=AbnormalityCloseForm())
        return context


def _abnormality_context(user, result):
    """The abnormality page's panels; repair tickets point here through RepairTicket.inspection_result."""
    tickets = list(result.repair_tickets.order_by("-id"))
    reported = next((ticket for ticket in tickets if ticket.state != ticket.State.CANCELLED), None)
    return {
        "can_close": has_role(user, *RECORDERS) and result.closed_at is None,
        "can_report": has_role(user, *RECORDERS) and reported is None,
        "reported": reported,
        "tickets": tickets,
        "corrections": result.corrections.select_related("corrected_by"),
        "attachments": attachments_of(result),
    }


class AbnormalityCloseView(RoleRequiredMixin, View):
    allowed_roles = RECORDERS

    def post(self, request, pk):
        result = get_object_or_404(RoundResult, pk=pk, is_abnormal=True)
        form = AbnormalityCloseForm(request.POST)
        if form.is_valid():
            try:
                services.abnormality_close(result=result, resolution=form.cleaned_data["resolution"], by=request.user)
            except ActionRefused as refused:
                messages.error(request, refused.message)
            else:
                messages.success(request, _("The abnormality is closed."))
                return redirect(result)
        context = {"object": result, "form": form, **_abnormality_context(request.user, result)}
        return render(request, "inspections/abnormality_detail.html", context)


class VisitListView(ObjectListView):
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
        context = super().get_context_data(**kwargs)
        context["in_room"] = selectors.visitors_in_room()
        context["forbidden_items"] = FORBIDDEN_ITEMS
        context["visit_rules"] = VISIT_RULES
        return context


class VisitCreateView(ObjectCreateView):
    model = Visit
    form_class = VisitForm
    allowed_roles = RECORDERS
    template_name = "inspections/visit_form.html"
    success_message = _("The visit is registered and awaits the machine-room lead's approval.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forbidden_items"] = FORBIDDEN_ITEMS
        context["visit_rules"] = VISIT_RULES
        return context

    def save_form(self, form):
        form.instance.requested_by = self.request.user
        response = super().save_form(form)
        services.visit_registered(visit=self.object)
        return response


class VisitDetailView(ObjectDetailView):
    model = Visit
    allowed_roles = READERS
    template_name = "inspections/visit_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("room", "requested_by", "approved_by", "escort")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forbidden_items"] = FORBIDDEN_ITEMS
        context["visit_rules"] = VISIT_RULES
        return context


class VisitTransitionView(TransitionView):
    model = Visit
    allowed_roles = RECORDERS
    forms = {"check_in": CheckInForm, "reject": CommentForm, "cancel": CommentForm}


class VisitHistoryView(ObjectHistoryView):
    model = Visit
    allowed_roles = READERS
