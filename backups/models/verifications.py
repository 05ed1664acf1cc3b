"""Integrity checks and restore tests of backup runs, and the alert raised once per lapse."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage, person

from .common import RegisterQuerySet, ends_after_start, not_same_person
from .runs import BackupRun
from .targets import BackupTarget

# No check or restore test takes longer than a week; a longer figure is a typing error.
MAX_VERIFICATION_SPAN = timedelta(days=7)
# Times are entered to the minute, so a measured restore may exceed the recorded span by up to a minute.
DURATION_ROUNDING = timedelta(minutes=1)
MAX_RESTORE_SECONDS = (MAX_VERIFICATION_SPAN + DURATION_ROUNDING).total_seconds()


class Verification(DetailPage, models.Model):
    """An integrity check or restore test (完整性检查 / 恢复试验) of one backup run, with its evidence.

    A checksum, an integrity check or a catalogue listing checks the backup without restoring it; only a
    restore into a scratch database, or files restored and compared, is a restore test (RESTORE_METHODS).
    """

    class Method(models.TextChoices):
        CHECKSUM = "checksum", _("Checksum (SHA-256)")
        INTEGRITY = "integrity", _("Integrity check")
        CATALOGUE = "catalogue", _("Catalogue listing")
        FULL_RESTORE = "full_restore", _("Full restore into a scratch database")
        FILE_RESTORE = "file_restore", _("Files restored and compared")

    class Result(models.TextChoices):
        PASS = "pass", _("Pass")
        WARNING = "warning", _("Warning")
        FAIL = "fail", _("Fail")

    target = models.ForeignKey(
        BackupTarget, on_delete=models.PROTECT, related_name="verifications", verbose_name=_("backup target")
    )
    backup_run = models.ForeignKey(
        BackupRun, on_delete=models.PROTECT, related_name="verifications", verbose_name=_("backup run")
    )
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    restore_seconds = models.FloatField(
        _("restore time (s)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Measured restore time; it cannot exceed the time between start and end."),
    )
    data_as_of = models.DateTimeField(
        _("data as of"), null=True, blank=True, help_text=_("Newest data in the restored copy.")
    )
    expected_sha256 = models.CharField(_("recorded SHA-256"), max_length=64, blank=True)
    found_sha256 = models.CharField(_("computed SHA-256"), max_length=64, blank=True)
    counts = models.JSONField(_("counts compared"), default=list, blank=True)
    steps = models.JSONField(_("steps"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_automatic = models.BooleanField(_("automatic"), default=False)
    operator = person(_("operator"), optional=True)
    witness = person(_("witness"), optional=True)
    history = HistoricalRecords()

    objects = RegisterQuerySet.as_manager()

    detail_url = "backups:verification_detail"

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications and restore tests")
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["target", "result", "-started_at"]),
            models.Index(fields=["started_at"]),
        ]
        constraints = [
            ends_after_start(
                "backups_verification_ends_after_start", _("A restore test cannot finish before it started.")
            ),
            models.CheckConstraint(
                condition=Q(restore_seconds__isnull=True)
                | Q(restore_seconds__gte=0, restore_seconds__lte=MAX_RESTORE_SECONDS),
                name="backups_restore_seconds_bounded",
                violation_error_message=_("The restore time is out of range."),
            ),
            not_same_person(
                "witness",
                "operator",
                "backups_witness_not_operator",
                _("The witness must be another person than the operator."),
            ),
        ]

    def __str__(self):
        return f"{self.target} · {self.get_method_display()} · {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"

    def clean(self):
        if self.started_at and self.finished_at and self.finished_at < self.started_at:
            raise ValidationError({"finished_at": _("The end cannot be before the start.")})
        if self.started_at and self.finished_at and self.finished_at - self.started_at > MAX_VERIFICATION_SPAN:
            raise ValidationError({"finished_at": _("A check or restore test takes at most seven days.")})
        if self.witness_id and self.witness_id == self.operator_id:
            raise ValidationError({"witness": _("The witness must be someone other than the operator.")})
        self._clean_restore_seconds()

    def _clean_restore_seconds(self):
        if self.restore_seconds is None or self.restore_seconds < 0 or not (self.started_at and self.finished_at):
            return  # a negative figure is refused by the field's own validator
        span = self.finished_at - self.started_at
        if self.restore_seconds > (span + DURATION_ROUNDING).total_seconds():
            raise ValidationError(
                {
                    "restore_seconds": _(
                        "The restore cannot take longer than the test itself: at most %(seconds)d s "
                        "between the start and the end."
                    )
                    % {"seconds": span.total_seconds()}
                }
            )

    @property
    def is_restore(self) -> bool:
        return self.method in RESTORE_METHODS

    @property
    def duration(self):
        return self.finished_at - self.started_at

    @property
    def checksum_mismatch(self):
        return bool(self.expected_sha256 and self.found_sha256 and self.expected_sha256 != self.found_sha256)


RESTORE_METHODS = (Verification.Method.FULL_RESTORE, Verification.Method.FILE_RESTORE)
"""The methods that restore the data: only these meet a plan's restore-test interval or a DBA handover."""
PASSING = (Verification.Result.PASS, Verification.Result.WARNING)
"""A warning still checked or restored the data: it meets the interval, and the board shows it amber."""


class BackupAlert(models.Model):
    """One alert per lapse: a unique key per target and lapse makes the hourly check send it once."""

    class Kind(models.TextChoices):
        NO_BACKUP = "no_backup", _("No successful backup inside the plan's window")
        NO_FULL = "no_full", _("No successful full backup this week")
        NO_VERIFICATION = "no_verification", _("No passing integrity check inside the interval")
        NO_RESTORE = "no_restore", _("No real restore test inside the interval")
        NO_OFFSITE = "no_offsite", _("No full backup kept off site inside the window")
        VERIFICATION_FAILED = "verification_failed", _("A verification failed")

    target = models.ForeignKey(
        BackupTarget, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("backup target")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    lapse_key = models.CharField(max_length=60)
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("backup alert")
        verbose_name_plural = _("backup alerts")
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "kind", "lapse_key"],
                name="backups_one_alert_per_lapse",
                violation_error_message=_("This lapse has already been reported."),
            )
        ]

    def __str__(self):
        return f"{self.target} · {self.get_kind_display()}"
