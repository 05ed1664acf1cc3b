"""Today's page and the inspection rounds: start, fill in on the phone, submit, correct."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from portal.exceptions import ActionRefused
from portal.models import Attachment
from portal.permissions import RoleRequiredMixin, visible
from portal.views.generic import (
    ObjectDetailView,
    ObjectHistoryView,
    ObjectListView,
    ServiceActionView,
    ServiceObjectFormView,
)

from .. import selectors, services
from ..filters import RoundFilter
from ..forms import CorrectionForm, RoundResultForm
from ..models import InspectionRound, InspectionTemplate, MachineRoom
from ..permissions import READERS, RECORDERS
from ..tables import RoundTable


def grouped(rows, item_of=lambda row: row.item):
    """``[(group label, rows)]`` in the order the rows come, for pages drawn group by group."""
    groups = {}
    for row in rows:
        groups.setdefault(item_of(row).get_group_display(), []).append(row)
    return list(groups.items())


class TodayView(RoleRequiredMixin, TemplateView):
    """Today at a glance: each room's round, the workstation maintenance of the month, who is in the room."""

    allowed_roles = READERS
    template_name = "inspections/today.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        templates = visible(InspectionTemplate.objects.filter(is_active=True), self.request.user)
        daily = templates.filter(target=InspectionTemplate.Target.MACHINE_ROOM).first()
        monthly = list(templates.filter(target=InspectionTemplate.Target.WORKSTATIONS))
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
        )
        return context


class RoundStartView(ServiceActionView):
    """POST: open (or continue) the round of this period for a room or for the workstations."""

    model = InspectionTemplate
    pk_url_kwarg = "template_pk"
    allowed_roles = RECORDERS
    success_message = _("The round is open.")

    def act(self, template):
        room_pk = self.kwargs.get("room_pk")
        room = get_object_or_404(visible(MachineRoom.objects.all(), self.request.user), pk=room_pk) if room_pk else None
        return services.round_start(template=template, room=room, by=self.request.user)

    def get_success_url(self):
        inspection = getattr(self, "result", None)
        if inspection is None:
            return reverse("inspections:today")
        return (
            inspection.get_absolute_url()
            if inspection.is_submitted
            else reverse("inspections:round_fill", args=[inspection.pk])
        )


class RoundListView(ObjectListView):
    model = InspectionRound
    allowed_roles = READERS
    table_class = RoundTable
    filterset_class = RoundFilter
    title = _("Inspection rounds")

    def get_queryset(self):
        return super().get_queryset().select_related("room", "template", "version", "inspector")


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
        context.update(groups=grouped(results), corrections=corrections)
        return context


class RoundFillView(RoleRequiredMixin, View):
    """The phone page: one card per item; save as draft any time, submit when every finding is complete."""

    allowed_roles = RECORDERS
    template_name = "inspections/round_fill.html"

    def dispatch(self, request, *args, **kwargs):
        if self.permits(request.user):
            rounds = visible(InspectionRound.objects.select_related("room", "template", "version"), request.user)
            self.inspection = get_object_or_404(rounds, pk=kwargs["pk"])
            if self.inspection.is_submitted:
                messages.info(request, _("A submitted round is read-only; record a correction instead."))
                return redirect(self.inspection)
        return super().dispatch(request, *args, **kwargs)

    def get_forms(self, data=None, files=None, submitting=False):
        results = self.inspection.results.select_related("item")
        return [RoundResultForm(data, files, result=result, submitting=submitting) for result in results]

    def render(self, forms_):
        error_count = sum(1 for form in forms_ if form.errors)
        context = {
            "object": self.inspection,
            "groups": grouped(forms_, lambda f: f.result.item),
            "error_count": error_count,
        }
        return render(self.request, self.template_name, context)

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
        saved = False
        try:
            services.round_record(
                inspection=self.inspection, findings=_findings(f for f in drafts if f.is_valid()), by=request.user
            )
            saved = True
            if submitting:
                if not complete:
                    raise ActionRefused(_("The round cannot be submitted yet: see the items marked in red."))
                services.take_step(self.inspection, "submit", by=request.user)
        except ActionRefused as refused:
            messages.error(request, refused.message)
            if saved:
                messages.info(request, _("What you entered is saved as a draft."))
            return self.render(forms_)
        if not submitting:
            messages.success(request, _("Saved. The round is not submitted yet."))
            return redirect("inspections:round_fill", pk=self.inspection.pk)
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


class RoundCorrectView(ServiceObjectFormView):
    """A correction of one finding of a submitted round, kept next to the original with its reason."""

    model = InspectionRound
    form_class = CorrectionForm
    allowed_roles = RECORDERS
    template_name = "inspections/round_correct.html"
    success_message = _("The correction is recorded.")

    def refusal(self, inspection):
        return services.correction_refusal(inspection)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "inspection": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(label=_("Record a correction"), **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        return services.round_correct(
            result=data["result"],
            status=data["status"],
            value=data["value"],
            description=data["description"],
            reason=data["reason"],
            by=self.request.user,
        )


class RoundHistoryView(ObjectHistoryView):
    model = InspectionRound
    allowed_roles = READERS
