"""Inspection rounds, the finding for each item, and the corrections of submitted rounds."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage, person
from portal.workflow import Condition, StateField, role_required

from ..permissions import RECORDERS
from .fields import one_per_period, period_fields
from .scoping import ReadersQuerySet
from .templates import InspectionTemplate, TemplateItem, TemplateVersion, limits_label


class InspectionRound(DetailPage, ConcurrentTransitionMixin, models.Model):
    """One filled checklist for one room (or the workstations) and one scheduled period."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Being filled in")
        SUBMITTED = "submitted", _("Submitted")

    template, room, period_start = period_fields("rounds")
    version = models.ForeignKey(
        TemplateVersion, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("template version")
    )
    inspector = person(_("inspector"))
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    abnormal_count = models.PositiveSmallIntegerField(_("abnormal items"), default=0)
    state = StateField(_("status"), default=State.DRAFT, choices=State.choices, protected=True)
    history = HistoricalRecords()

    objects = ReadersQuerySet.as_manager()

    detail_url = "inspections:round_detail"

    class Meta:
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")
        ordering = ["-period_start", "room__name"]
        constraints = one_per_period(
            "one_round",
            _("This room already has an inspection round for this period."),
            _("There is already an inspection round for this period."),
        )
        indexes = [models.Index(fields=["room", "period_start"]), models.Index(fields=["state", "period_start"])]

    def __str__(self):
        return f"{self.room or self.template} · {self.period_label}"

    @property
    def is_submitted(self):
        return self.state == self.State.SUBMITTED

    @property
    def period_label(self):
        if self.template.frequency == InspectionTemplate.Frequency.MONTHLY:
            return f"{self.period_start:%Y-%m}"
        return f"{self.period_start:%Y-%m-%d}"

    def unexplained_results(self):
        return [result for result in self.results.all() if result.needs_description and not result.description.strip()]

    def incomplete_results(self):
        return [result for result in self.results.all() if not result.is_filled]

    @transition(
        field=state,
        source=State.DRAFT,
        target=State.SUBMITTED,
        permission=role_required(*RECORDERS),
        conditions=[
            Condition(
                lambda r: not r.incomplete_results(),
                _("Every item must be checked or read before the round is submitted."),
            ),
            Condition(
                lambda r: not r.unexplained_results(),
                _("Every abnormal item needs a description before the round is submitted."),
            ),
        ],
        custom={"label": _("Submit round"), "style": "success"},
    )
    def submit(self, *, by, comment=""):
        self.submitted_at = timezone.now()
        self.abnormal_count = sum(1 for result in self.results.all() if result.is_abnormal)


class RoundResult(DetailPage, models.Model):
    """The finding for one item in one round; an abnormal one stays open until someone closes it."""

    class Status(models.TextChoices):
        NORMAL = "normal", _("Normal")
        ABNORMAL = "abnormal", _("Abnormal")

    round = models.ForeignKey(
        InspectionRound, on_delete=models.CASCADE, related_name="results", verbose_name=_("inspection round")
    )
    item = models.ForeignKey(
        TemplateItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspection item")
    )
    status = models.CharField(_("result"), max_length=10, choices=Status.choices, blank=True)
    value = models.DecimalField(_("reading"), max_digits=7, decimal_places=1, null=True, blank=True)
    low_limit = models.DecimalField(_("lower limit"), max_digits=7, decimal_places=1, null=True, blank=True)
    high_limit = models.DecimalField(_("upper limit"), max_digits=7, decimal_places=1, null=True, blank=True)
    description = models.TextField(_("description of the abnormality"), blank=True)
    is_abnormal = models.BooleanField(_("abnormal"), default=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = person(_("closed by"), optional=True)
    resolution = models.TextField(_("how it was resolved"), blank=True)
    history = HistoricalRecords()

    objects = ReadersQuerySet.as_manager()

    detail_url = "inspections:abnormality_detail"

    class Meta:
        verbose_name = _("inspection result")
        verbose_name_plural = _("inspection results")
        ordering = ["round", "item__order", "item_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "item"],
                name="one_result_per_item",
                violation_error_message=_("This item already has a result in this round."),
            )
        ]
        indexes = [models.Index(fields=["is_abnormal", "closed_at"])]

    def __str__(self):
        return f"{self.round} · {self.item}"

    @property
    def is_reading(self):
        return self.item.kind == TemplateItem.Kind.READING

    @property
    def is_filled(self):
        return self.value is not None if self.is_reading else bool(self.status)

    @property
    def is_out_of_range(self):
        if self.value is None:
            return False
        return (self.low_limit is not None and self.value < self.low_limit) or (
            self.high_limit is not None and self.value > self.high_limit
        )

    @property
    def needs_description(self):
        return self.status == self.Status.ABNORMAL or self.is_out_of_range

    @property
    def limits_label(self):
        return limits_label(self.low_limit, self.high_limit, self.item.unit)

    @property
    def finding_label(self):
        if self.is_reading and self.value is not None:
            return _("%(value)s %(unit)s (allowed %(limits)s)") % {
                "value": f"{self.value.normalize():f}",
                "unit": self.item.unit,
                "limits": self.limits_label or "—",
            }
        return str(self.get_status_display())

    def save(self, *args, **kwargs):
        self.is_abnormal = self.needs_description
        super().save(*args, **kwargs)


class RoundCorrection(models.Model):
    """A correction to a submitted round: what the finding was, what it is now, and why."""

    round = models.ForeignKey(
        InspectionRound, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("inspection round")
    )
    result = models.ForeignKey(
        RoundResult, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("inspection item")
    )
    old_status = models.CharField(_("result before"), max_length=10, choices=RoundResult.Status.choices, blank=True)
    new_status = models.CharField(_("result after"), max_length=10, choices=RoundResult.Status.choices, blank=True)
    old_value = models.DecimalField(_("reading before"), max_digits=7, decimal_places=1, null=True, blank=True)
    new_value = models.DecimalField(_("reading after"), max_digits=7, decimal_places=1, null=True, blank=True)
    old_description = models.TextField(_("description before"), blank=True)
    new_description = models.TextField(_("description after"), blank=True)
    reason = models.TextField(_("reason for the correction"))
    corrected_by = person(_("corrected by"))
    corrected_at = models.DateTimeField(_("corrected at"), default=timezone.now)

    objects = ReadersQuerySet.as_manager()

    class Meta:
        verbose_name = _("round correction")
        verbose_name_plural = _("round corrections")
        ordering = ["corrected_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reason=""),
                name="correction_has_reason",
                violation_error_message=_("A correction needs a reason."),
            )
        ]

    def __str__(self):
        return f"{self.result} · {self.corrected_at:%Y-%m-%d %H:%M}"
