"""The server operation log (服务器操作登记)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage, person

from .common import RegisterQuerySet, ends_after_start, not_same_person
from .targets import BackupTarget


class ServerOperation(DetailPage, models.Model):
    """One entry of the server operation log (服务器操作登记)."""

    class Kind(models.TextChoices):
        MAINTENANCE = "maintenance", _("Maintenance")
        BACKUP = "backup", _("Backup or restore")
        PATCH = "patch", _("Patch or upgrade")
        CONFIG = "config", _("Configuration change")
        HARDWARE = "hardware", _("Hardware work")
        DATA = "data", _("Data correction")
        OTHER = "other", _("Other")

    server = models.CharField(_("server"), max_length=100)
    target = models.ForeignKey(
        BackupTarget,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operations",
        verbose_name=_("backup target"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    operator = person(_("operator"))
    present_dba = person(_("DBA present"), optional=True)
    others_present = models.CharField(
        _("others present"), max_length=200, blank=True, help_text=_("e.g. the vendor's engineer")
    )
    description = models.TextField(_("what was done"))
    outcome = models.TextField(_("outcome"), blank=True)
    recorded_by = person(_("recorded by"))
    history = HistoricalRecords()

    objects = RegisterQuerySet.as_manager()

    detail_url = "backups:operation_detail"

    class Meta:
        verbose_name = _("server operation")
        verbose_name_plural = _("server operation log")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["server", "-started_at"]), models.Index(fields=["started_at"])]
        constraints = [
            ends_after_start(
                "backups_operation_ends_after_start",
                _("An operation cannot finish before it started."),
                open_ended=True,
            ),
            not_same_person(
                "present_dba",
                "operator",
                "backups_dba_present_is_another",
                _("The DBA present must be another person than the operator."),
            ),
        ]

    def __str__(self):
        return f"{self.server} · {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"
