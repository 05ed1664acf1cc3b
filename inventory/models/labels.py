"""Label sheets printed in the background: the devices chosen, the job's progress and the finished PDF."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.fields import DetailPage, person
from portal.roles import IT_ROLES
from portal.scoping import ScopedQuerySet


class LabelSheetQuerySet(ScopedQuerySet):
    read_all_roles = IT_ROLES


class LabelSheet(DetailPage, models.Model):
    """资产标签: a sheet of more than one page is laid out by the worker, never inside a web request."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Laying out")
        DONE = "done", _("Ready to print")
        FAILED = "failed", _("Failed")

    requested_by = person(_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    # The devices' pks in print order (at most LABEL_SHEET_LIMIT), fixed when the sheet was asked for.
    devices = models.JSONField(_("devices"), default=list)
    device_count = models.PositiveIntegerField(_("labels"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    file = models.FileField(_("file"), upload_to="labels/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # When it was last queued or started, and whether the job sweep re-queued it after a lost worker (portal/jobs.py).
    attempted_at = models.DateTimeField(_("last queued or started"), default=timezone.now)
    requeued = models.PositiveSmallIntegerField(_("times re-queued"), default=0)

    objects = LabelSheetQuerySet.as_manager()

    detail_url = "inventory:label_sheet_detail"

    class Meta:
        verbose_name = _("label sheet")
        verbose_name_plural = _("label sheets")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "attempted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100),
                name="label_sheet_progress_percent",
                violation_error_message=_("The progress cannot exceed 100 percent."),
            )
        ]

    def __str__(self):
        return _("%(n)s asset labels") % {"n": self.device_count}

    @property
    def is_ready(self):
        return self.status == self.Status.DONE

    @property
    def in_progress(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
