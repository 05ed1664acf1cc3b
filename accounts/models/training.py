"""Training records (学习培训制度 3): IT technicians take at least two sessions or twenty hours a year."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.fields import person
from portal.scoping import ScopedQuerySet

from ..permissions import TRAINING_READERS


class TrainingRecordQuerySet(ScopedQuerySet):
    read_all_roles = TRAINING_READERS
    own_paths = ("trainee",)


class TrainingRecord(models.Model):
    """One professional training session attended: what, when, how many class hours."""

    # 学习培训制度 3: the yearly minimum, met by either figure.
    MIN_SESSIONS = 2
    MIN_HOURS = Decimal(20)

    trainee = person(_("trainee"), related_name="training_records")
    title = models.CharField(_("training"), max_length=200)
    organiser = models.CharField(_("organised by"), max_length=100, blank=True)
    held_on = models.DateField(_("date"))
    hours = models.DecimalField(
        _("class hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("200"))],
    )
    recorded_by = person(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    history = HistoricalRecords()

    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["trainee", "held_on"])]

    def __str__(self):
        return f"{self.trainee} · {self.title} · {self.held_on}"
