"""Backup targets and their plans, backup runs, verifications (restore tests), media custody,
the server operation log and the DBA handover record.

Policy: a written backup plan; weekly full backups; an integrity check and a restore test every one
to two weeks; media stored off-site under named custody; every server operation logged; a leaving
DBA's successor must run a backup and a restore test before the DBA may leave.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition
from simple_history.models import HistoricalRecords

from portal.roles import Role, has_role
from portal.workflow import Condition, Guard, StateField

# Who may open the backups pages at all; everyone else gets 403.
READ_ROLES = (Role.DBA, Role.IT_HEAD, Role.IT_OFFICER, Role.AUDITOR, Role.LEADER)
# Who manages plans, media, verifications and handovers.
MANAGE_ROLES = (Role.DBA, Role.IT_HEAD)
# Who records backup runs and server operations.
RECORD_ROLES = (Role.DBA, Role.IT_HEAD, Role.IT_OFFICER)

# A run reported a little late still counts as inside its window.
BACKUP_GRACE = timedelta(hours=2)
# A check finishing a few minutes after its interval, or a manual test done next morning, is not a lapse.
VERIFICATION_GRACE = timedelta(days=1)
# No check or restore test takes longer than a week; a longer figure is a typing error.
MAX_VERIFICATION_SPAN = timedelta(days=7)
# Times are entered to the minute, so a measured restore may exceed the recorded span by up to a minute.
DURATION_ROUNDING = timedelta(minutes=1)
MAX_RESTORE_SECONDS = (MAX_VERIFICATION_SPAN + DURATION_ROUNDING).total_seconds()

sha256_validator = RegexValidator(r"^[0-9a-f]{64}$", _("A SHA-256 checksum is 64 lowercase hexadecimal characters."))


class ReadableQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The backups register is one for the whole hospital: readable by the IT department, leaders and the auditor."""
        return self if has_role(user, *READ_ROLES) else self.none()


class BackupTarget(models.Model):
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
    offsite_copy = models.BooleanField(_("off-site copy"), default=True)
    verification_interval_days = models.PositiveSmallIntegerField(
        _("verification interval"), choices=VerificationInterval.choices, default=VerificationInterval.WEEKLY
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
    responsible_dba = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="backup_targets",
        verbose_name=_("responsible DBA"),
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deputy_backup_targets",
        verbose_name=_("deputy"),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Lease that keeps two checks of one target from overlapping (set by a conditional UPDATE).
    check_lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["check_lease_until"])

    objects = ReadableQuerySet.as_manager()

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
            models.CheckConstraint(
                condition=Q(deputy__isnull=True) | ~Q(deputy=F("responsible_dba")),
                name="backups_deputy_not_dba",
                violation_error_message=_("The deputy must be another person than the responsible DBA."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("backups:target_detail", args=[self.pk])

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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
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


class BackupMedium(models.Model):
    """A tape, disk or other medium holding backups (备份介质) and where it is now."""

    class Kind(models.TextChoices):
        TAPE = "tape", _("Tape")
        DISK = "disk", _("Removable disk")
        NAS = "nas", _("NAS / disk array")
        OPTICAL = "optical", _("Optical disc")
        CLOUD = "cloud", _("Private cloud storage")

    class Location(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        OFF_SITE = "off_site", _("Off site")

    label = models.CharField(_("label"), max_length=40, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    capacity_gb = models.PositiveIntegerField(_("capacity (GB)"))
    location = models.CharField(_("location"), max_length=10, choices=Location.choices, default=Location.ON_SITE)
    place = models.CharField(_("place"), max_length=100, help_text=_("Room, safe or cabinet."))
    custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="backup_media", verbose_name=_("custodian")
    )
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    objects = ReadableQuerySet.as_manager()

    class Meta:
        verbose_name = _("backup medium")
        verbose_name_plural = _("backup media")
        ordering = ["label"]
        indexes = [models.Index(fields=["location", "label"])]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("backups:medium_detail", args=[self.pk])


class BackupRunQuerySet(ReadableQuerySet):
    def successful(self):
        return self.filter(status=BackupRun.Status.SUCCESS)


class BackupRun(models.Model):
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
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("operator"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    file_removed_at = models.DateTimeField(_("file removed (retention)"), null=True, blank=True)
    history = HistoricalRecords()

    objects = BackupRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("backup run")
        verbose_name_plural = _("backup runs")
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["target", "status", "-started_at"]),
            models.Index(fields=["started_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(finished_at__gte=F("started_at")),
                name="backups_run_ends_after_start",
                violation_error_message=_("A backup cannot finish before it started."),
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(error=""),
                name="backups_failed_run_says_why",
                violation_error_message=_("A failed backup must say why it failed."),
            ),
        ]

    def __str__(self):
        return f"{self.target} · {timezone.localtime(self.started_at):%Y-%m-%d %H:%M} · {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("backups:run_detail", args=[self.pk])

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


class Verification(models.Model):
    """An integrity check or restore test (完整性检查 / 恢复试验) of one backup run, with its evidence."""

    class Method(models.TextChoices):
        CHECKSUM = "checksum", _("Checksum (SHA-256)")
        INTEGRITY = "integrity", _("Integrity check")
        CATALOGUE = "catalogue", _("Catalogue listing")
        FULL_RESTORE = "full_restore", _("Full restore into a scratch database")

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
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("operator"),
    )
    witness = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("witness"),
    )
    history = HistoricalRecords()

    objects = ReadableQuerySet.as_manager()

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications and restore tests")
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["target", "result", "-started_at"]),
            models.Index(fields=["started_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(finished_at__gte=F("started_at")),
                name="backups_verification_ends_after_start",
                violation_error_message=_("A restore test cannot finish before it started."),
            ),
            models.CheckConstraint(
                condition=Q(restore_seconds__isnull=True)
                | Q(restore_seconds__gte=0, restore_seconds__lte=MAX_RESTORE_SECONDS),
                name="backups_restore_seconds_bounded",
                violation_error_message=_("The restore time is out of range."),
            ),
            models.CheckConstraint(
                condition=Q(witness__isnull=True) | ~Q(witness=F("operator")),
                name="backups_witness_not_operator",
                violation_error_message=_("The witness must be another person than the operator."),
            ),
        ]

    def __str__(self):
        return f"{self.target} · {self.get_method_display()} · {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("backups:verification_detail", args=[self.pk])

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
    def duration(self):
        return self.finished_at - self.started_at

    @property
    def data_age(self):
        """RPO achieved: how old the newest data in the restored copy was when it was checked."""
        return self.started_at - self.data_as_of if self.data_as_of else None

    @property
    def checksum_mismatch(self):
        return bool(self.expected_sha256 and self.found_sha256 and self.expected_sha256 != self.found_sha256)


class BackupAlert(models.Model):
    """One alert per lapse: a unique key per target and lapse makes the hourly check send it once."""

    class Kind(models.TextChoices):
        NO_BACKUP = "no_backup", _("No successful backup inside the plan's window")
        NO_FULL = "no_full", _("No successful full backup this week")
        NO_VERIFICATION = "no_verification", _("No passing verification inside the interval")
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


class CustodyHandover(ConcurrentTransitionMixin, models.Model):
    """Media handed from one custodian to another (介质交接); the receiver signs in the portal."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting signature")
        SIGNED = "signed", _("Signed")

    number = models.CharField(_("number"), max_length=30, unique=True, editable=False)
    media = models.ManyToManyField(BackupMedium, related_name="handovers", verbose_name=_("media"))
    from_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("handed over by")
    )
    to_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("received by")
    )
    handed_over_at = models.DateTimeField(_("time"), default=timezone.now)
    to_location = models.CharField(_("to"), max_length=10, choices=BackupMedium.Location.choices)
    to_place = models.CharField(_("place"), max_length=100)
    note = models.TextField(_("note"), blank=True)
    state = StateField(_("status"), default=State.PENDING, choices=State.choices, protected=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ReadableQuerySet.as_manager()

    class Meta:
        verbose_name = _("custody handover")
        verbose_name_plural = _("custody handovers")
        ordering = ["-handed_over_at", "-pk"]
        indexes = [models.Index(fields=["state", "to_person"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_person=F("to_person")),
                name="backups_handover_two_people",
                violation_error_message=_("A medium is handed over between two different people."),
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("backups:custody_detail", args=[self.pk])

    @transition(
        field=state,
        source=State.PENDING,
        target=State.SIGNED,
        permission=Guard(
            lambda obj, user: obj.to_person_id == user.pk, _("Only the person receiving the media signs.")
        ),
        custom={"label": _("Sign for receipt"), "style": "success"},
    )
    def sign(self, *, by, comment=""):
        self.signed_at = timezone.now()
        self.media.update(custodian=self.to_person, location=self.to_location, place=self.to_place)


class MediaStocktake(ConcurrentTransitionMixin, models.Model):
    """A count of the media register against what is on the shelves."""

    # 介质盘点: its own series, apart from the equipment stocktakes' PD-.
    NUMBER_PREFIX = "JZPD"

    class State(models.TextChoices):
        OPEN = "open", _("Counting")
        CLOSED = "closed", _("Closed")

    number = models.CharField(_("number"), max_length=30, unique=True, editable=False)
    counted_on = models.DateField(_("date"), default=timezone.localdate)
    location = models.CharField(_("location"), max_length=10, choices=BackupMedium.Location.choices)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("counted by")
    )
    note = models.TextField(_("note"), blank=True)
    state = StateField(_("status"), default=State.OPEN, choices=State.choices, protected=True)
    history = HistoricalRecords()

    objects = ReadableQuerySet.as_manager()

    class Meta:
        verbose_name = _("media stocktake")
        verbose_name_plural = _("media stocktakes")
        ordering = ["-counted_on", "-pk"]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("backups:stocktake_detail", args=[self.pk])

    @transition(
        field=state,
        source=State.OPEN,
        target=State.CLOSED,
        conditions=[
            Condition(
                lambda obj: not obj.lines.filter(result="").exists(),
                _("Record every medium as found or missing first."),
            )
        ],
        permission=Guard(
            lambda obj, user: has_role(user, *MANAGE_ROLES), _("Only the DBA or the IT head closes a stocktake.")
        ),
        custom={"label": _("Close the stocktake"), "style": "primary"},
    )
    def close(self, *, by, comment=""):
        pass


class StocktakeLine(models.Model):
    class Result(models.TextChoices):
        FOUND = "found", _("Found in place")
        ELSEWHERE = "elsewhere", _("Found elsewhere")
        MISSING = "missing", _("Missing")

    stocktake = models.ForeignKey(
        MediaStocktake, on_delete=models.CASCADE, related_name="lines", verbose_name=_("media stocktake")
    )
    medium = models.ForeignKey(BackupMedium, on_delete=models.PROTECT, related_name="+", verbose_name=_("medium"))
    expected_place = models.CharField(_("place in the register"), max_length=100)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stocktake line")
        verbose_name_plural = _("stocktake lines")
        ordering = ["medium__label"]
        constraints = [
            models.UniqueConstraint(
                fields=["stocktake", "medium"],
                name="backups_medium_once_per_stocktake",
                violation_error_message=_("This medium is already counted in this stocktake."),
            )
        ]

    def __str__(self):
        return f"{self.stocktake} · {self.medium}"


class ServerOperation(models.Model):
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
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("operator")
    )
    present_dba = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("DBA present"),
    )
    others_present = models.CharField(
        _("others present"), max_length=200, blank=True, help_text=_("e.g. the vendor's engineer")
    )
    description = models.TextField(_("what was done"))
    outcome = models.TextField(_("outcome"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    history = HistoricalRecords()

    objects = ReadableQuerySet.as_manager()

    class Meta:
        verbose_name = _("server operation")
        verbose_name_plural = _("server operation log")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["server", "-started_at"]), models.Index(fields=["started_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(finished_at__gte=F("started_at")),
                name="backups_operation_ends_after_start",
                violation_error_message=_("An operation cannot finish before it started."),
            ),
            models.CheckConstraint(
                condition=Q(present_dba__isnull=True) | ~Q(present_dba=F("operator")),
                name="backups_dba_present_is_another",
                violation_error_message=_("The DBA present must be another person than the operator."),
            ),
        ]

    def __str__(self):
        return f"{self.server} · {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("backups:operation_detail", args=[self.pk])


class DbaHandover(models.Model):
    """A leaving DBA's handover: the successor's own successful backup and passing restore test are linked here."""

    number = models.CharField(_("number"), max_length=30, unique=True, editable=False)
    departing_dba = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="dba_handovers_given",
        verbose_name=_("departing DBA"),
    )
    successor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="dba_handovers_taken",
        verbose_name=_("successor"),
    )
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    history = HistoricalRecords()

    objects = ReadableQuerySet.as_manager()

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

    def get_absolute_url(self):
        return reverse("backups:dba_handover_detail", args=[self.pk])

    def clean(self):
        if self.successor_id and self.successor_id == self.departing_dba_id:
            raise ValidationError({"successor": _("The successor cannot be the departing DBA.")})

    @property
    def is_complete(self):
        return self.completed_at is not None
