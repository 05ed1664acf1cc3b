"""What is backed up, with its written plan, and the tokens its backup scripts report with."""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage, person

from .common import RegisterQuerySet, not_same_person

# A run reported a little late still counts as inside its window.
BACKUP_GRACE = timedelta(hours=2)
# A check finishing a few minutes after its interval, or a manual test done next morning, is not a lapse.
VERIFICATION_GRACE = timedelta(days=1)


class BackupTarget(DetailPage, models.Model):
    """What is backed up (备份对象) together with its written backup plan (数据库备份方案)."""

    class Kind(models.TextChoices):
        POSTGRESQL = "postgresql", "PostgreSQL"
        MYSQL = "mysql", "MySQL"
        ORACLE = "oracle", "Oracle"
        SQLSERVER = "sqlserver", "SQL Server"
        SQLITE = "sqlite", "SQLite"
        FILES = "files", _("Files")

    class VerificationInterval(models.IntegerChoices):
        WEEKLY = 7, _("Weekly")
        BIWEEKLY = 14, _("Every two weeks")

    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("Used by backup scripts, e.g. HIS-DB."))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    server = models.CharField(_("server"), max_length=100, blank=True)
    is_builtin = models.BooleanField(_("the portal's own database"), default=False, editable=False)
    full_every_days = models.PositiveSmallIntegerField(
        _("full backup every (days)"), default=7, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    incremental_every_hours = models.PositiveSmallIntegerField(
        _("incremental backup every (hours)"),
        null=True,
        blank=True,
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(7 * 24)],
        help_text=_("Leave empty when the plan has full backups only."),
    )
    retention_days = models.PositiveSmallIntegerField(
        _("retention (days)"), default=30, validators=[MinValueValidator(1)]
    )
    offsite_copy = models.BooleanField(
        _("off-site copy"),
        default=True,
        editable=False,
        help_text=_(
            "A full backup inside the plan's window is kept on a medium off site; only the IT head's "
            "approved waiver turns this off."
        ),
    )
    verification_interval_days = models.PositiveSmallIntegerField(
        _("restore-test interval"),
        choices=VerificationInterval.choices,
        default=VerificationInterval.WEEKLY,
        help_text=_("An integrity check and a real restore test are each due at this interval."),
    )
    auto_verify = models.BooleanField(
        _("automatic check"),
        default=False,
        help_text=_("The portal's worker can read this target's backup files and checks them itself."),
    )
    sanity_queries = models.TextField(
        _("sanity queries"),
        blank=True,
        help_text=_("One SQL query per line, run on the restored copy; each must return a non-zero first value."),
    )
    check_time_limit_minutes = models.PositiveSmallIntegerField(
        _("check time limit (minutes)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    responsible_dba = person(_("responsible DBA"), optional=True, related_name="backup_targets")
    deputy = person(_("deputy"), optional=True, related_name="deputy_backup_targets")
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Lease that keeps two checks of one target from overlapping (set by a conditional UPDATE).
    check_lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["check_lease_until"])

    objects = RegisterQuerySet.as_manager()

    detail_url = "backups:target_detail"

    class Meta:
        verbose_name = _("backup target")
        verbose_name_plural = _("backup targets and plans")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_builtin"],
                condition=Q(is_builtin=True),
                name="backups_one_builtin_target",
                violation_error_message=_("There is already a target for the portal's own database."),
            ),
            models.CheckConstraint(
                condition=Q(full_every_days__gte=1, full_every_days__lte=7),
                name="backups_full_weekly",
                violation_error_message=_("A full backup is due at least once a week (every 1 to 7 days)."),
            ),
            models.CheckConstraint(
                condition=Q(verification_interval_days__in=[7, 14]),
                name="backups_verification_interval_policy",
                violation_error_message=_("Restore tests run every 7 or 14 days."),
            ),
            models.CheckConstraint(
                condition=Q(incremental_every_hours__isnull=True)
                | Q(incremental_every_hours__gte=1, incremental_every_hours__lte=7 * 24),
                name="backups_incremental_within_a_week",
                violation_error_message=_("Incremental backups run every 1 to 168 hours."),
            ),
            models.CheckConstraint(
                condition=Q(check_time_limit_minutes__gte=1, check_time_limit_minutes__lte=60),
                name="backups_check_time_limit_bounded",
                violation_error_message=_("The time limit of a check is 1 to 60 minutes."),
            ),
            not_same_person(
                "deputy",
                "responsible_dba",
                "backups_deputy_not_dba",
                _("The deputy must be another person than the responsible DBA."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.deputy_id and self.deputy_id == self.responsible_dba_id:
            raise ValidationError({"deputy": _("The deputy must be someone other than the responsible DBA.")})
        if (
            self.incremental_every_hours
            and self.full_every_days
            and self.incremental_every_hours > self.full_every_days * 24
        ):
            raise ValidationError(
                {"incremental_every_hours": _("Incremental backups run more often than the full backup.")}
            )

    @property
    def backup_window(self) -> timedelta:
        """How old the last successful backup may be before the plan is out of policy."""
        hours = self.incremental_every_hours or self.full_every_days * 24
        return timedelta(hours=min(hours, self.full_every_days * 24)) + BACKUP_GRACE

    @property
    def full_window(self) -> timedelta:
        return timedelta(days=self.full_every_days) + BACKUP_GRACE

    @property
    def verification_interval(self) -> timedelta:
        return timedelta(days=self.verification_interval_days)

    @property
    def verification_window(self) -> timedelta:
        return self.verification_interval + VERIFICATION_GRACE

    @property
    def sanity_query_list(self) -> list[str]:
        return [line.strip() for line in self.sanity_queries.splitlines() if line.strip()]


class ScriptToken(models.Model):
    """A per-target token with which a backup script reports its runs; only its hash is stored."""

    target = models.ForeignKey(
        BackupTarget, on_delete=models.CASCADE, related_name="tokens", verbose_name=_("backup target")
    )
    label = models.CharField(
        _("label"), max_length=60, help_text=_("Where the script runs, e.g. the HIS database server.")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("token begins with"), max_length=8, editable=False)
    created_by = person(_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = person(_("revoked by"), optional=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = _("script token")
        verbose_name_plural = _("script tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.target} · {self.label} ({self.prefix}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return secrets.token_urlsafe(32)
