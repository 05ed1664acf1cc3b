"""Backup media, their custody handovers and media stocktakes."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage, person
from portal.workflow import Condition, Guard, StateField

from ..permissions import may_manage
from .common import RegisterQuerySet


class BackupMedium(DetailPage, models.Model):
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
    custodian = person(_("custodian"), related_name="backup_media")
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    objects = RegisterQuerySet.as_manager()

    detail_url = "backups:medium_detail"

    class Meta:
        verbose_name = _("backup medium")
        verbose_name_plural = _("backup media")
        ordering = ["label"]
        indexes = [models.Index(fields=["location", "label"])]

    def __str__(self):
        return self.label


class CustodyHandover(DetailPage, ConcurrentTransitionMixin, models.Model):
    """Media handed from one custodian to another (介质交接); the receiver signs in the portal."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting signature")
        SIGNED = "signed", _("Signed")

    number = models.CharField(_("number"), max_length=30, unique=True, editable=False)
    media = models.ManyToManyField(BackupMedium, related_name="handovers", verbose_name=_("media"))
    from_person = person(_("handed over by"))
    to_person = person(_("received by"))
    handed_over_at = models.DateTimeField(_("time"), default=timezone.now)
    to_location = models.CharField(_("to"), max_length=10, choices=BackupMedium.Location.choices)
    to_place = models.CharField(_("place"), max_length=100)
    note = models.TextField(_("note"), blank=True)
    state = StateField(_("status"), default=State.PENDING, choices=State.choices, protected=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = RegisterQuerySet.as_manager()

    detail_url = "backups:custody_detail"

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


class MediaStocktake(DetailPage, ConcurrentTransitionMixin, models.Model):
    """A count of the media register against what is on the shelves."""

    # 介质盘点: its own series, apart from the equipment stocktakes' PD-.
    NUMBER_PREFIX = "JZPD"

    class State(models.TextChoices):
        OPEN = "open", _("Counting")
        CLOSED = "closed", _("Closed")

    number = models.CharField(_("number"), max_length=30, unique=True, editable=False)
    counted_on = models.DateField(_("date"), default=timezone.localdate)
    location = models.CharField(_("location"), max_length=10, choices=BackupMedium.Location.choices)
    counted_by = person(_("counted by"))
    note = models.TextField(_("note"), blank=True)
    state = StateField(_("status"), default=State.OPEN, choices=State.choices, protected=True)
    history = HistoricalRecords()

    objects = RegisterQuerySet.as_manager()

    detail_url = "backups:stocktake_detail"

    class Meta:
        verbose_name = _("media stocktake")
        verbose_name_plural = _("media stocktakes")
        ordering = ["-counted_on", "-pk"]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

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
        permission=Guard(lambda obj, user: may_manage(user), _("Only the DBA or the IT head closes a stocktake.")),
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
