"""Backup runs, recorded by hand, by a backup script or by the portal's own backup."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage, person

from .common import RegisterQuerySet, ends_after_start
from .media import BackupMedium
from .targets import BackupTarget

sha256_validator = RegexValidator(r"^[0-9a-f]{64}$", _("A SHA-256 checksum is 64 lowercase hexadecimal characters."))


class BackupRunQuerySet(RegisterQuerySet):
    def successful(self):
        return self.filter(status=BackupRun.Status.SUCCESS)


class BackupRun(DetailPage, models.Model):
    class Kind(models.TextChoices):
        FULL = "full", _("Full")
        INCREMENTAL = "incremental", _("Incremental")

    class Status(models.TextChoices):
        SUCCESS = "success", _("Succeeded")
        FAILED = "failed", _("Failed")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Recorded by hand")
        COMMAND = "command", _("Backup script (command)")
        ENDPOINT = "endpoint", _("Backup script (HTTP)")
        PORTAL = "portal", _("Portal's scheduled backup")

    target = models.ForeignKey(
        BackupTarget, on_delete=models.PROTECT, related_name="runs", verbose_name=_("backup target")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FULL)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, validators=[sha256_validator])
    location = models.CharField(_("storage location"), max_length=500, blank=True)
    medium = models.ForeignKey(
        BackupMedium, on_delete=models.PROTECT, null=True, blank=True, related_name="runs", verbose_name=_("medium")
    )
    row_counts = models.JSONField(_("row counts at backup"), default=dict, blank=True)
    file_count = models.PositiveIntegerField(_("file count"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    source = models.CharField(_("recorded via"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    operator = person(_("operator"), optional=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    file_removed_at = models.DateTimeField(_("file removed (retention)"), null=True, blank=True)
    history = HistoricalRecords()

    objects = BackupRunQuerySet.as_manager()

    detail_url = "backups:run_detail"

    class Meta:
        verbose_name = _("backup run")
        verbose_name_plural = _("backup runs")
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["target", "status", "-started_at"]),
            models.Index(fields=["started_at"]),
        ]
        constraints = [
            ends_after_start("backups_run_ends_after_start", _("A backup cannot finish before it started.")),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(error=""),
                name="backups_failed_run_says_why",
                violation_error_message=_("A failed backup must say why it failed."),
            ),
        ]

    def __str__(self):
        return f"{self.target} · {timezone.localtime(self.started_at):%Y-%m-%d %H:%M} · {self.get_status_display()}"

    def clean(self):
        if self.started_at and self.finished_at and self.finished_at < self.started_at:
            raise ValidationError({"finished_at": _("The end cannot be before the start.")})
        if self.status == self.Status.FAILED and not self.error:
            raise ValidationError({"error": _("Say what went wrong.")})
        if self.finished_at and self.finished_at > timezone.now() + timedelta(minutes=5):
            raise ValidationError({"finished_at": _("The end cannot be in the future.")})

    @property
    def duration(self):
        return self.finished_at - self.started_at
