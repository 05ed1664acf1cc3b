"""A leaving DBA's handover, completed by the successor's own backup and restore test."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage, person

from .common import RegisterQuerySet
from .runs import BackupRun
from .verifications import Verification


class DbaHandover(DetailPage, models.Model):
    """A leaving DBA's handover: the successor's own successful backup and passing restore test are linked here."""

    number = models.CharField(_("number"), max_length=30, unique=True, editable=False)
    departing_dba = person(_("departing DBA"), related_name="dba_handovers_given")
    successor = person(_("successor"), related_name="dba_handovers_taken")
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    plan_handed_over = models.BooleanField(_("backup plan and backup register handed over"), default=False)
    backup_run = models.ForeignKey(
        BackupRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("successor's backup"),
    )
    verification = models.ForeignKey(
        Verification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("successor's restore test"),
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = person(_("created by"))
    history = HistoricalRecords()

    objects = RegisterQuerySet.as_manager()

    detail_url = "backups:dba_handover_detail"

    class Meta:
        verbose_name = _("DBA handover")
        verbose_name_plural = _("DBA handovers")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(successor=F("departing_dba")),
                name="backups_successor_not_departing",
                violation_error_message=_("The successor must be another person than the departing DBA."),
            ),
            models.UniqueConstraint(
                fields=["departing_dba"],
                condition=Q(completed_at__isnull=True),
                name="backups_one_open_handover_per_dba",
                violation_error_message=_("This DBA already has a handover in progress."),
            ),
        ]

    def __str__(self):
        return self.number

    def clean(self):
        if self.successor_id and self.successor_id == self.departing_dba_id:
            raise ValidationError({"successor": _("The successor cannot be the departing DBA.")})

    @property
    def is_complete(self):
        return self.completed_at is not None

    def run_refusal(self, run) -> str | None:
        """Why ``run`` is not the successor's own successful backup since the handover started, or ``None``."""
        return self._evidence_refusal(
            run,
            run.status == BackupRun.Status.SUCCESS,
            gettext("The backup must be run by the successor %(person)s."),
            gettext("The backup did not succeed."),
            gettext("The backup was run before the handover started."),
        )

    def verification_refusal(self, verification) -> str | None:
        """Why ``verification`` is not the successor's own passing restore test since the handover started, or ``None``."""
        if not verification.is_restore:
            return gettext(
                "Information handover rule 3 (信息工作移交制度 3): the successor does a real restore test "
                "(into a scratch database, or files restored and compared); an integrity check is not one."
            )
        return self._evidence_refusal(
            verification,
            verification.result == Verification.Result.PASS,
            gettext("The restore test must be done by the successor %(person)s."),
            gettext("The restore test did not pass."),
            gettext("The restore test was done before the handover started."),
        )

    def _evidence_refusal(self, evidence, succeeded, not_successor, not_succeeded, too_early):
        if evidence.operator_id != self.successor_id:
            return not_successor % {"person": self.successor}
        if not succeeded:
            return not_succeeded
        if evidence.started_at < self.started_at:
            return too_early
        return None

    @property
    def successor_evidence_ok(self) -> bool:
        """Both the successor's backup and restore test are linked and still meet the rule."""
        return (
            self.backup_run is not None
            and self.verification is not None
            and self.run_refusal(self.backup_run) is None
            and self.verification_refusal(self.verification) is None
        )
