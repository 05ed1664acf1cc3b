from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inventory.models import Equipment
from portal.forms import DESCRIPTION_LENGTH, BoundedForm, BoundedModelForm
from portal.people import people, people_with

from .models import DrillPlan, SecurityIncident
from .permissions import RECORDERS

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DrillPlanForm(BoundedModelForm):
    class Meta:
        model = DrillPlan
        fields = ["scenario", "plan_chapter", "interval_days", "starts_on", "owner", "is_active"]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_with(*RECORDERS)


class DrillRecordForm(BoundedForm):
    days_ahead = {"held_at": 0}

    held_at = forms.DateTimeField(label=gettext_lazy("held at"), widget=DATETIME)
    participants = forms.ModelMultipleChoiceField(
        label=gettext_lazy("participants"), queryset=people(), widget=forms.SelectMultiple(attrs={"size": 8})
    )
    activities = forms.CharField(
        label=gettext_lazy("drill content"), max_length=DESCRIPTION_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )
    restore_minutes = forms.IntegerField(
        label=gettext_lazy("time to restore (minutes)"), min_value=0, max_value=60 * 24 * 14
    )
    problems = forms.CharField(
        label=gettext_lazy("problems found"),
        required=False,
        max_length=DESCRIPTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    improvements = forms.CharField(
        label=gettext_lazy("improvements"),
        required=False,
        max_length=DESCRIPTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SecurityIncidentForm(BoundedForm):
    days_ahead = {"occurred_at": 0, "discovered_at": 0}

    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=SecurityIncident.Kind.choices)
    title = forms.CharField(label=gettext_lazy("summary"), max_length=200)
    description = forms.CharField(label=gettext_lazy("what happened"), widget=forms.Textarea(attrs={"rows": 4}))
    occurred_at = forms.DateTimeField(label=gettext_lazy("occurred at"), widget=DATETIME)
    discovered_at = forms.DateTimeField(label=gettext_lazy("discovered at"), widget=DATETIME)
    affected_systems = forms.CharField(
        label=gettext_lazy("systems and devices affected"),
        max_length=DESCRIPTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    equipment = forms.ModelChoiceField(
        label=gettext_lazy("equipment (ledger)"),
        queryset=Equipment.objects.order_by("asset_no"),
        required=False,
        help_text=gettext_lazy("Optional: the device in the equipment ledger, if one is concerned."),
    )
    measures = forms.CharField(
        label=gettext_lazy("temporary protective and monitoring measures"),
        help_text=gettext_lazy("账号及密码管理制度 6: how the devices concerned are protected and monitored for now."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        occurred, discovered = cleaned.get("occurred_at"), cleaned.get("discovered_at")
        if occurred and discovered and discovered < occurred:
            self.add_error("discovered_at", _("An incident is discovered when or after it occurred."))
        return cleaned


class ResolveForm(BoundedForm):
    days_ahead = {"resolved_at": 0}

    resolution = forms.CharField(
        label=gettext_lazy("resolution"), max_length=DESCRIPTION_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )
    resolved_at = forms.DateTimeField(label=gettext_lazy("resolved at"), widget=DATETIME, initial=timezone.now)
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class IncidentReportForm(BoundedForm):
    """The report to the hospital's archive, drafted from the register: 待问题解决后整理所有相关数据."""

    takes_object = True

    report = forms.CharField(
        label=gettext_lazy("report filed with the hospital"),
        max_length=DESCRIPTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=gettext_lazy(
            "Gather all the related data: what happened, what was affected, the measures and the resolution."
        ),
    )
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, instance_object, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial = {"report": draft_report(instance_object)}


def draft_report(incident) -> str:
    local = timezone.localtime
    lines = [
        (_("kind"), incident.get_kind_display()),
        (_("occurred at"), f"{local(incident.occurred_at):%Y-%m-%d %H:%M}"),
        (_("discovered at"), f"{local(incident.discovered_at):%Y-%m-%d %H:%M}"),
        (_("systems and devices affected"), incident.affected_systems),
        (_("what happened"), incident.description),
        (_("temporary protective and monitoring measures"), incident.measures),
        (_("resolution"), incident.resolution),
    ]
    if incident.resolved_at:
        lines.append((_("resolved at"), f"{local(incident.resolved_at):%Y-%m-%d %H:%M}"))
    return "\n".join(f"{label}: {value}" for label, value in lines)
