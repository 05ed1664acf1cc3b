"""Ledger imports and the remembered settings of each source."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage, person
from portal.roles import IT_ROLES
from portal.scoping import ScopedQuerySet


class ImportSettings(models.Model):
    """How a file's columns and values read into the ledger: shared by an import and its source's profile."""

    class DateFormat(models.TextChoices):
        YMD = "ymd", _("YYYY-MM-DD (2023-01-23)")
        MDY = "mdy", _("M/D/YY (1/23/23)")
        DMY = "dmy", _("D/M/YYYY (23/1/2023)")
        EXCEL = "excel", _("Excel serial number (44949)")

    class DecimalSeparator(models.TextChoices):
        POINT = ".", _("Decimal point (1,299.00)")
        COMMA = ",", _("Decimal comma (1 299,00)")

    mapping = models.JSONField(_("column mapping"), default=dict)
    value_map = models.JSONField(_("value mapping"), default=dict)
    defaults = models.JSONField(_("defaults for missing values"), default=dict)
    date_format = models.CharField(_("date format"), max_length=10, choices=DateFormat.choices, default="ymd")
    decimal_separator = models.CharField(
        _("decimal separator"), max_length=1, choices=DecimalSeparator.choices, default="."
    )

    class Meta:
        abstract = True


class ImportProfile(ImportSettings):
    """A source system's export (Snipe-IT, GLPI, our template), remembered from its last successful import."""

    name = models.CharField(_("source"), max_length=50, unique=True)
    headers = models.JSONField(_("columns of its export"), default=list)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("import profile")
        verbose_name_plural = _("import profiles")
        ordering = ["name"]

    def __str__(self):
        return self.name


class EquipmentImportQuerySet(ScopedQuerySet):
    read_all_roles = IT_ROLES


class EquipmentImport(DetailPage, ImportSettings):
    """An uploaded ledger file: parsed rows kept until the user maps columns and values and imports them."""

    class State(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded, awaiting column mapping")
        REJECTED = "rejected", _("Rejected: bad rows")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", pgettext_lazy("import state", "Imported")
        FAILED = "failed", _("Failed")

    file_name = models.CharField(_("file"), max_length=255)
    uploaded_by = person(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    headers = models.JSONField(_("columns in the file"), default=list)
    rows = models.JSONField(_("rows"), default=list)
    profile = models.ForeignKey(
        ImportProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("source")
    )
    errors = models.JSONField(_("errors"), default=list)
    state = models.CharField(_("status"), max_length=20, choices=State.choices, default=State.UPLOADED)
    total = models.PositiveIntegerField(_("rows in file"), default=0)
    processed = models.PositiveIntegerField(_("rows imported"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # When it was last queued or started, and whether the job sweep re-queued it after a lost worker (portal/jobs.py).
    attempted_at = models.DateTimeField(_("last queued or started"), default=timezone.now)
    requeued = models.PositiveSmallIntegerField(_("times re-queued"), default=0)
    history = HistoricalRecords(excluded_fields=["rows", "processed", "attempted_at"])

    objects = EquipmentImportQuerySet.as_manager()

    detail_url = "inventory:import_detail"

    class Meta:
        verbose_name = _("equipment import")
        verbose_name_plural = _("equipment imports")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return self.file_name

    @property
    def in_progress(self):
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def is_done(self):
        return self.state == self.State.DONE

    @property
    def finished(self):
        return self.state in (self.State.DONE, self.State.REJECTED, self.State.FAILED)

    @property
    def editable(self):
        """The mapping can still be changed and the file imported."""
        return self.state in (self.State.UPLOADED, self.State.REJECTED)

    @property
    def progress_percent(self):
        return int(self.processed * 100 / self.total) if self.total else 0
