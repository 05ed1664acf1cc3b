from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.attachments import AttachmentField
from portal.forms import BoundedForm, BoundedModelForm
from portal.people import people_with
from portal.roles import Role

from .models import (
    RESTORE_METHODS,
    BackupMedium,
    BackupRun,
    BackupTarget,
    ServerOperation,
    StocktakeLine,
    Verification,
)
from .permissions import RECORD_ROLES

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class TwoPeopleForm(BoundedForm):
    """A form naming two people who must differ: ``two_people = (first field, second field, message)``."""

    two_people: tuple = ()

    def clean(self):
        data = super().clean()
        first, second, message = self.two_people
        if data.get(first) and data.get(first) == data.get(second):
            self.add_error(second, message)
        return data


class BackupTargetForm(BoundedModelForm):
    class Meta:
        model = BackupTarget
        fields = [
            "code",
            "name",
            "kind",
            "server",
            "responsible_dba",
            "deputy",
            "full_every_days",
            "incremental_every_hours",
            "retention_days",
            "verification_interval_days",
            "auto_verify",
            "sanity_queries",
            "check_time_limit_minutes",
            "is_active",
        ]
        widgets = {"sanity_queries": forms.Textarea(attrs={"rows": 3, "class": "font-monospace"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_dba"].queryset = people_with(Role.DBA)
        self.fields["deputy"].queryset = people_with(*RECORD_ROLES)
        if self.instance.is_builtin:
            for name in ("code", "kind"):
                self.fields[name].disabled = True


class BackupRunForm(BoundedModelForm):
    """A run recorded by hand; the operator is the person recording it."""

    class Meta:
        model = BackupRun
        fields = [
            "target",
            "kind",
            "status",
            "started_at",
            "finished_at",
            "size_bytes",
            "sha256",
            "location",
            "medium",
            "file_count",
            "error",
        ]
        widgets = {"started_at": DATETIME, "finished_at": DATETIME, "error": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = BackupTarget.objects.filter(is_active=True)
        self.fields["medium"].queryset = BackupMedium.objects.filter(is_active=True)
        self.fields["sha256"].help_text = _("64 hexadecimal characters, as printed by sha256sum.")


class VerificationForm(BoundedModelForm):
    """A manual integrity check or restore test, with its log uploaded as evidence."""

    log_files = AttachmentField(
        label=_("Verification log"), help_text=_("The restore or check log, a screenshot or a signed form.")
    )

    class Meta:
        model = Verification
        fields = [
            "backup_run",
            "method",
            "result",
            "started_at",
            "finished_at",
            "restore_seconds",
            "data_as_of",
            "witness",
            "error",
            "notes",
        ]
        widgets = {
            "started_at": DATETIME,
            "finished_at": DATETIME,
            "data_as_of": DATETIME,
            "error": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"error": _("Problems found")}

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        self.fields["backup_run"].queryset = BackupRun.objects.filter(
            pk__in=list(target.runs.successful().order_by("-started_at").values_list("pk", flat=True)[:50])
        ).select_related("target")
        self.fields["witness"].queryset = people_with(*RECORD_ROLES)
        self.fields["notes"].help_text = _(
            "For a restore test: where it was restored to, and the sanity queries run or the row or file counts "
            "compared."
        )
        self.fields["restore_seconds"].help_text = _("Required for a restore test; empty for an integrity check.")

    def clean(self):
        data = super().clean()
        if data.get("result") == Verification.Result.FAIL and not data.get("error"):
            self.add_error("error", _("Say what failed."))
        return data


class ScriptTokenForm(BoundedForm):
    label = forms.CharField(label=_("Where the script runs"), max_length=60)


class BackupMediumForm(BoundedModelForm):
    class Meta:
        model = BackupMedium
        fields = ["label", "kind", "capacity_gb", "location", "place", "custodian", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["custodian"].queryset = people_with(*RECORD_ROLES)
        if self.instance.pk:
            # Where a registered medium is and who holds it change only by a handover both people sign
            # (数据备份工作制度 8: the off-site copy is what the custody register says).
            for name in ("location", "custodian"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Changed only by a custody handover.")


class CustodyHandoverForm(TwoPeopleForm):
    media = forms.ModelMultipleChoiceField(
        label=_("Media"), queryset=BackupMedium.objects.filter(is_active=True), widget=forms.CheckboxSelectMultiple
    )
    from_person = forms.ModelChoiceField(label=_("Handed over by"), queryset=get_user_model().objects.none())
    to_person = forms.ModelChoiceField(label=_("Received by"), queryset=get_user_model().objects.none())
    two_people = ("from_person", "to_person", _("Media are handed over to someone else."))
    to_location = forms.ChoiceField(label=_("To"), choices=BackupMedium.Location.choices)
    to_place = forms.CharField(label=_("Place"), max_length=100, help_text=_("Room, safe or cabinet."))
    handed_over_at = forms.DateTimeField(label=_("Time"), widget=DATETIME, initial=timezone.now)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_person"].queryset = people_with(*RECORD_ROLES)
        self.fields["to_person"].queryset = people_with(*RECORD_ROLES)
        self.fields["media"].label_from_instance = lambda medium: (
            f"{medium.label} · {medium.custodian} · {medium.place}"
        )


class StocktakeForm(BoundedForm):
    days_ahead = {"counted_on": 0}
    location = forms.ChoiceField(label=_("Location"), choices=BackupMedium.Location.choices)
    counted_on = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), required=False)


class StocktakeCountForm(BoundedForm):
    """One result select and note per line of an open stocktake."""

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"result_{line.pk}"] = forms.ChoiceField(
                label=f"{line.medium.label} · {line.expected_place}",
                choices=[("", "—"), *StocktakeLine.Result.choices],
                initial=line.result,
                required=False,
            )
            self.fields[f"note_{line.pk}"] = forms.CharField(
                label=_("Note"), initial=line.note, required=False, max_length=200
            )

    def results(self):
        return {
            line.pk: (self.cleaned_data[f"result_{line.pk}"], self.cleaned_data[f"note_{line.pk}"])
            for line in self.lines
        }

    def rows(self):
        return [(line, self[f"result_{line.pk}"], self[f"note_{line.pk}"]) for line in self.lines]


class ServerOperationForm(BoundedModelForm):
    class Meta:
        model = ServerOperation
        fields = [
            "server",
            "target",
            "kind",
            "started_at",
            "finished_at",
            "operator",
            "present_dba",
            "others_present",
            "description",
            "outcome",
        ]
        widgets = {
            "started_at": DATETIME,
            "finished_at": DATETIME,
            "description": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = people_with(*RECORD_ROLES)
        self.fields["present_dba"].queryset = people_with(Role.DBA)
        self.fields["present_dba"].help_text = _("Required when the operator is not a DBA.")
        self.fields["target"].queryset = BackupTarget.objects.filter(is_active=True)


class DbaHandoverForm(TwoPeopleForm):
    departing_dba = forms.ModelChoiceField(label=_("Departing DBA"), queryset=get_user_model().objects.none())
    successor = forms.ModelChoiceField(label=_("Successor"), queryset=get_user_model().objects.none())
    two_people = ("departing_dba", "successor", _("The successor cannot be the departing DBA."))
    plan_handed_over = forms.BooleanField(
        label=_("The backup plan and the backup register were handed over"), required=True
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departing_dba"].queryset = people_with(Role.DBA)
        self.fields["successor"].queryset = people_with(*RECORD_ROLES)


class DbaHandoverLinkForm(BoundedForm):
    backup_run = forms.ModelChoiceField(
        label=_("Successor's backup"), queryset=BackupRun.objects.none(), required=False
    )
    verification = forms.ModelChoiceField(
        label=_("Successor's restore test"), queryset=Verification.objects.none(), required=False
    )

    def __init__(self, *args, handover, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["backup_run"].queryset = BackupRun.objects.filter(
            operator=handover.successor, status=BackupRun.Status.SUCCESS, started_at__gte=handover.started_at
        ).select_related("target")
        self.fields["verification"].queryset = Verification.objects.filter(
            operator=handover.successor,
            result=Verification.Result.PASS,
            method__in=RESTORE_METHODS,
            started_at__gte=handover.started_at,
        ).select_related("target")

    def clean(self):
        data = super().clean()
        if not data.get("backup_run") and not data.get("verification"):
            raise forms.ValidationError(_("Choose the backup, the restore test or both."))
        return data


class OffsiteWaiverForm(BoundedForm):
    """The request to stop keeping a plan's off-site copy: the reason the IT head decides on."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Why this plan need not keep a full backup off site (e.g. the data is a copy of another system's)."
        ),
    )
