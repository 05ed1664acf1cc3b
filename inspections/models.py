"""Machine-room inspections: rooms, versioned templates, rounds and their results, reminders, visitors."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition
from simple_history.models import HistoricalRecords

from portal.exceptions import ActionRefused
from portal.roles import Role, has_role
from portal.workflow import Condition, StateField, not_same_person, role_required

RECORDERS = (Role.IT_OFFICER, Role.IT_HEAD)
READERS = (Role.IT_OFFICER, Role.IT_HEAD, Role.LEADER, Role.AUDITOR)


class ReadersQuerySet(models.QuerySet):
    """Everything in this app is seen by IT, leaders and the auditor, and by no one else."""

    def visible_to(self, user):
        return self if has_role(user, *READERS) else self.none()


def limits_label(low, high, unit):
    """“18–28 °C”, “≤ 80 %” or “” for the allowed range of a reading."""
    if low is None and high is None:
        return ""
    if low is None:
        return f"≤ {high.normalize():f} {unit}".strip()
    if high is None:
        return f"≥ {low.normalize():f} {unit}".strip()
    return f"{low.normalize():f}–{high.normalize():f} {unit}".strip()


class MachineRoom(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    location = models.CharField(_("location"), max_length=100, blank=True)
    commissioned_on = models.DateField(_("in service since"), default=datetime.date.today)
    temperature_min = models.DecimalField(
        _("lowest temperature (°C)"), max_digits=4, decimal_places=1, default=Decimal("18")
    )
    temperature_max = models.DecimalField(
        _("highest temperature (°C)"), max_digits=4, decimal_places=1, default=Decimal("28")
    )
    humidity_min = models.DecimalField(_("lowest humidity (%)"), max_digits=4, decimal_places=1, default=Decimal("35"))
    humidity_max = models.DecimalField(_("highest humidity (%)"), max_digits=4, decimal_places=1, default=Decimal("75"))
    reminder_time = models.TimeField(
        _("reminder time"),
        default=datetime.time(10, 0),
        help_text=_("With no round by this time, IT officers are reminded."),
    )
    deadline_time = models.TimeField(
        _("end-of-day time"),
        default=datetime.time(17, 30),
        help_text=_("With no submitted round by this time, a missed inspection is recorded and the IT head notified."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    objects = ReadersQuerySet.as_manager()

    class Meta:
        verbose_name = _("machine room")
        verbose_name_plural = _("machine rooms")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(temperature_min__lt=models.F("temperature_max")),
                name="room_temperature_range",
                violation_error_message=_("The lowest temperature must be below the highest."),
            ),
            models.CheckConstraint(
                condition=models.Q(humidity_min__lt=models.F("humidity_max")),
                name="room_humidity_range",
                violation_error_message=_("The lowest humidity must be below the highest."),
            ),
            models.CheckConstraint(
                condition=models.Q(reminder_time__lt=models.F("deadline_time")),
                name="room_reminder_before_deadline",
                violation_error_message=_("The reminder must come before the deadline."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("inspections:room_detail", args=[self.pk])

    def limits_for(self, measure):
        if measure == TemplateItem.Measure.TEMPERATURE:
            return self.temperature_min, self.temperature_max
        if measure == TemplateItem.Measure.HUMIDITY:
            return self.humidity_min, self.humidity_max
        return None, None


class InspectionTemplate(models.Model):
    """A checklist lineage; its items live in numbered versions so past rounds keep the wording they used."""

    class Target(models.TextChoices):
        MACHINE_ROOM = "machine_room", _("Machine rooms")
        WORKSTATIONS = "workstations", _("Systems and workstations")

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        MONTHLY = "monthly", _("Monthly")

    name = models.CharField(_("name"), max_length=100, unique=True)
    target = models.CharField(_("applies to"), max_length=20, choices=Target.choices)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    objects = ReadersQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection template")
        verbose_name_plural = _("inspection templates")
        ordering = ["frequency", "name"]
        constraints = [
            # Machine rooms are inspected every day, workstations every month (policy 000 / 001 五).
            models.CheckConstraint(
                condition=models.Q(target="machine_room", frequency="daily")
                | models.Q(target="workstations", frequency="monthly"),
                name="template_target_frequency",
                violation_error_message=_("Machine rooms are inspected daily and workstations monthly."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("inspections:template_detail", args=[self.pk])

    @property
    def current_version(self):
        return self.versions.order_by("-number").first()

    def period_start(self, day: datetime.date) -> datetime.date:
        return day.replace(day=1) if self.frequency == self.Frequency.MONTHLY else day


class TemplateVersion(models.Model):
    template = models.ForeignKey(
        InspectionTemplate, on_delete=models.PROTECT, related_name="versions", verbose_name=_("template")
    )
    number = models.PositiveIntegerField(_("version"))
    change_note = models.CharField(_("what changed"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("edited by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ReadersQuerySet.as_manager()

    class Meta:
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"],
                name="template_version_number_unique",
                violation_error_message=_("This template already has a version with this number."),
            )
        ]

    def __str__(self):
        return f"{self.template} v{self.number}"


class TemplateItem(models.Model):
    class Group(models.TextChoices):
        POWER = "power", _("Power / UPS")
        SERVERS = "servers", _("Servers")
        ENVIRONMENT = "environment", _("Machine-room environment")
        NETWORK_DEVICES = "network_devices", _("Network devices")
        NETWORK_CHANNELS = "network_channels", _("Network channels")
        WORKSTATION_HARDWARE = "workstation_hardware", _("Workstation hardware")
        WORKSTATION_SOFTWARE = "workstation_software", _("Systems and software")
        SECURITY = "security", _("Virus protection and security")

    class Kind(models.TextChoices):
        CHECK = "check", _("Check (normal / abnormal)")
        READING = "reading", _("Reading")

    class Measure(models.TextChoices):
        TEMPERATURE = "temperature", _("Temperature (room limits)")
        HUMIDITY = "humidity", _("Humidity (room limits)")
        OTHER = "other", _("Other (limits below)")

    version = models.ForeignKey(
        TemplateVersion, on_delete=models.CASCADE, related_name="items", verbose_name=_("version")
    )
    group = models.CharField(_("group"), max_length=30, choices=Group.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    label = models.CharField(_("inspection item"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CHECK)
    measure = models.CharField(_("measure"), max_length=15, choices=Measure.choices, blank=True)
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    low_limit = models.DecimalField(_("lower limit"), max_digits=7, decimal_places=1, null=True, blank=True)
    high_limit = models.DecimalField(_("upper limit"), max_digits=7, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("inspection item")
        verbose_name_plural = _("inspection items")
        ordering = ["version", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(low_limit__isnull=True)
                | models.Q(high_limit__isnull=True)
                | models.Q(low_limit__lt=models.F("high_limit")),
                name="template_item_limit_range",
                violation_error_message=_("The lower limit must be below the upper limit."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind="check", measure="") | models.Q(kind="reading") & ~models.Q(measure=""),
                name="template_item_reading_has_measure",
                violation_error_message=_("A reading needs a measure; a check has none."),
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def limits_label(self):
        return limits_label(self.low_limit, self.high_limit, self.unit)

    def limits_in(self, room):
        if self.kind != self.Kind.READING:
            return None, None
        if room is not None and self.measure in (self.Measure.TEMPERATURE, self.Measure.HUMIDITY):
            return room.limits_for(self.measure)
        return self.low_limit, self.high_limit


class InspectionRound(ConcurrentTransitionMixin, models.Model):
    """One filled checklist for one room (or the workstations) and one scheduled period."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Being filled in")
        SUBMITTED = "submitted", _("Submitted")

    template = models.ForeignKey(
        InspectionTemplate, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("template")
    )
    version = models.ForeignKey(
        TemplateVersion, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("template version")
    )
    room = models.ForeignKey(
        MachineRoom,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds",
        verbose_name=_("machine room"),
    )
    period_start = models.DateField(_("period"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspector")
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    abnormal_count = models.PositiveSmallIntegerField(_("abnormal items"), default=0)
    state = StateField(_("status"), default=State.DRAFT, choices=State.choices, protected=True)
    history = HistoricalRecords()

    objects = ReadersQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")
        ordering = ["-period_start", "room__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "room", "period_start"],
                condition=models.Q(room__isnull=False),
                name="one_round_per_room_per_period",
                violation_error_message=_("This room already has an inspection round for this period."),
            ),
            models.UniqueConstraint(
                fields=["template", "period_start"],
                condition=models.Q(room__isnull=True),
                name="one_round_per_period",
                violation_error_message=_("There is already an inspection round for this period."),
            ),
        ]
        indexes = [models.Index(fields=["room", "period_start"]), models.Index(fields=["state", "period_start"])]

    def __str__(self):
        return f"{self.room or self.template} · {self.period_label}"

    def get_absolute_url(self):
        return reverse("inspections:round_detail", args=[self.pk])

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


class RoundResult(models.Model):
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
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    resolution = models.TextField(_("how it was resolved"), blank=True)
    history = HistoricalRecords()

    objects = ReadersQuerySet.as_manager()

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

    def get_absolute_url(self):
        return reverse("inspections:abnormality_detail", args=[self.pk])

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
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("corrected by")
    )
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


class InspectionReminder(models.Model):
    """The morning reminder sent for one room and period; the unique row makes the tick send it once."""

    template = models.ForeignKey(
        InspectionTemplate, on_delete=models.CASCADE, related_name="+", verbose_name=_("template")
    )
    room = models.ForeignKey(
        MachineRoom, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("machine room")
    )
    period_start = models.DateField(_("period"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("inspection reminder")
        verbose_name_plural = _("inspection reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "room", "period_start"],
                name="one_reminder_per_room_per_period",
                violation_error_message=_("This room has already been reminded for this period."),
            )
        ]


class MissedInspection(models.Model):
    """漏检: a period that ended with no submitted round."""

    template = models.ForeignKey(
        InspectionTemplate, on_delete=models.PROTECT, related_name="missed", verbose_name=_("template")
    )
    room = models.ForeignKey(
        MachineRoom,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="missed",
        verbose_name=_("machine room"),
    )
    period_start = models.DateField(_("period"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    history = HistoricalRecords()

    objects = ReadersQuerySet.as_manager()

    class Meta:
        verbose_name = _("missed inspection")
        verbose_name_plural = _("missed inspections")
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "room", "period_start"],
                condition=models.Q(room__isnull=False),
                name="one_missed_per_room_per_period",
                violation_error_message=_("This room's missed inspection is already recorded for this period."),
            ),
            models.UniqueConstraint(
                fields=["template", "period_start"],
                condition=models.Q(room__isnull=True),
                name="one_missed_per_period",
                violation_error_message=_("The missed inspection is already recorded for this period."),
            ),
        ]
        indexes = [models.Index(fields=["room", "period_start"])]

    def __str__(self):
        return f"{self.room or self.template} · {self.period_start}"


class Visit(ConcurrentTransitionMixin, models.Model):
    """外来人员出入登记: a visitor's request, its approval, and the escorted time in the room."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CHECKED_IN = "checked_in", _("In the room")
        CHECKED_OUT = "checked_out", _("Left")
        CANCELLED = "cancelled", _("Cancelled")

    room = models.ForeignKey(
        MachineRoom, on_delete=models.PROTECT, related_name="visits", verbose_name=_("machine room")
    )
    visitor_name = models.CharField(_("visitor"), max_length=50)
    organisation = models.CharField(_("visitor's organisation"), max_length=100)
    id_number = models.CharField(_("ID document number"), max_length=30, blank=True)
    purpose = models.CharField(_("purpose of visit"), max_length=200)
    visit_date = models.DateField(_("date of visit"))
    items_brought = models.CharField(_("items brought in"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    requested_at = models.DateTimeField(_("registered at"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    escort = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escort"),
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    state = StateField(_("status"), default=State.REQUESTED, choices=State.choices, protected=True)
    history = HistoricalRecords()

    objects = ReadersQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visitor register")
        ordering = ["-visit_date", "-requested_at"]
        indexes = [models.Index(fields=["state", "visit_date"]), models.Index(fields=["visit_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(checked_in_at__isnull=True) | models.Q(escort__isnull=False),
                name="visit_check_in_needs_escort",
                violation_error_message=_("A visitor is checked in only with an escort."),
            ),
            models.CheckConstraint(
                condition=models.Q(checked_out_at__isnull=True)
                | models.Q(checked_in_at__lte=models.F("checked_out_at")),
                name="visit_out_after_in",
                violation_error_message=_("A visitor cannot leave before arriving."),
            ),
        ]

    def __str__(self):
        return f"{self.visitor_name}（{self.organisation}）{self.visit_date}"

    def get_absolute_url(self):
        return reverse("inspections:visit_detail", args=[self.pk])

    @property
    def id_number_masked(self):
        """Only the last four characters are shown, enough to match the document at the door."""
        shown = self.id_number[-4:] if len(self.id_number) > 4 else ""
        return "*" * (len(self.id_number) - len(shown)) + shown

    @transition(
        field=state,
        source=State.REQUESTED,
        target=State.APPROVED,
        permission=role_required(Role.IT_HEAD)
        & not_same_person("requested_by", _("You cannot approve a visit you registered yourself.")),
        custom={"label": _("Approve"), "style": "success"},
    )
    def approve(self, *, by, comment=""):
        self.approved_by = by

    @transition(
        field=state,
        source=State.REQUESTED,
        target=State.REJECTED,
        permission=role_required(Role.IT_HEAD),
        custom={"label": _("Reject"), "style": "outline-danger", "needs_comment": True},
    )
    def reject(self, *, by, comment=""):
        self.approved_by = by

    @transition(
        field=state,
        source=State.APPROVED,
        target=State.CHECKED_IN,
        permission=role_required(*RECORDERS),
        conditions=[
            Condition(lambda v: v.visit_date == timezone.localdate(), _("The visit was approved for another day."))
        ],
        custom={"label": _("Check in"), "style": "primary", "needs_comment": True},
    )
    def check_in(self, *, by, comment="", escort):
        if escort is None or not has_role(escort, *RECORDERS):
            raise ActionRefused(_("A visitor is checked in only with an escort from the IT department."))
        self.escort = escort
        self.checked_in_at = timezone.now()

    @transition(
        field=state,
        source=State.CHECKED_IN,
        target=State.CHECKED_OUT,
        permission=role_required(*RECORDERS),
        custom={"label": _("Check out"), "style": "secondary"},
    )
    def check_out(self, *, by, comment=""):
        self.checked_out_at = timezone.now()

    @transition(
        field=state,
        source=[State.REQUESTED, State.APPROVED],
        target=State.CANCELLED,
        permission=role_required(*RECORDERS),
        custom={"label": _("Cancel visit"), "style": "outline-secondary", "needs_comment": True},
    )
    def cancel(self, *, by, comment=""):
        pass
