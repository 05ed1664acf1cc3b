import uuid
from pathlib import PurePath

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from portal.fields import person
from portal.roles import SECURITY_LOG_READERS
from portal.scoping import ScopedQuerySet

APPEND_ONLY = "Transition log entries are append-only: they are written by TransitionLog.objects.record() alone."


class TransitionLogQuerySet(models.QuerySet):
    """Rows enter through :meth:`record` (``perform()`` and the services that log a step); nothing edits or removes them."""

    def record(self, *entries):
        """Append unsaved ``entries`` to the log: the one sanctioned way a row is written."""
        return super().bulk_create(entries)

    def bulk_create(self, *args, **kwargs):
        raise ValueError(APPEND_ONLY)

    def update(self, **kwargs):
        raise ValueError(APPEND_ONLY)

    def delete(self):
        raise ValueError(APPEND_ONLY)


class TransitionLog(models.Model):
    """Append-only record of every workflow step: who moved what from where to where, and why.

    ``save()`` refuses every row, new or old, so neither ``objects.create()`` nor the admin can add a forged
    (e.g. back-dated) step; :meth:`TransitionLogQuerySet.record` is the only way in.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=50)
    from_state = models.CharField(_("from state"), max_length=50)
    to_state = models.CharField(_("to state"), max_length=50)
    actor = person(_("handler"), null=True)
    # A deputy's step (代理): the department head on whose behalf the actor took it.
    on_behalf_of = person(_("on behalf of"), optional=True)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    objects = TransitionLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("transition log entry")
        verbose_name_plural = _("transition log")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def save(self, *args, **kwargs):
        raise ValueError(APPEND_ONLY)

    def delete(self, *args, **kwargs):
        raise ValueError(APPEND_ONLY)


class Notification(models.Model):
    """A notice in the bell. Its text is kept as message ids and parameters, so each reader sees it in their language.

    ``title`` and ``body`` hold the text as it read when sent (for search, the admin, and notices from before);
    ``title_msgid``/``body_msgid`` with their contexts and ``params`` are what is shown. A parameter stored as
    ``{"msgid": ..., "msgctxt": ...}`` is a label that is translated too; any other parameter is shown as is.
    """

    recipient = person(_("recipient"), on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("title"), max_length=200)
    title_msgid = models.CharField(max_length=200, blank=True)
    title_msgctxt = models.CharField(max_length=100, blank=True)
    body = models.TextField(_("content"), blank=True)
    body_msgid = models.TextField(blank=True)
    body_msgctxt = models.CharField(max_length=100, blank=True)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self):
        return self.display_title()

    def display_title(self):
        """The title in the active language."""
        return self._render(self.title_msgid, self.title_msgctxt) if self.title_msgid else self.title

    def display_body(self):
        """The body in the active language."""
        return self._render(self.body_msgid, self.body_msgctxt) if self.body_msgid else self.body

    def _render(self, msgid, msgctxt):
        text = _translate(msgid, msgctxt)
        if not self.params:
            return text
        params = {
            key: _translate(value["msgid"], value.get("msgctxt", "")) if isinstance(value, dict) else value
            for key, value in self.params.items()
        }
        return text % params


def _translate(msgid, msgctxt):
    return pgettext(msgctxt, msgid) if msgctxt else gettext(msgid)


class NumberSequence(models.Model):
    """Last number handed out per prefix and year, e.g. BX-2026."""

    key = models.CharField(max_length=40, unique=True)
    last_value = models.PositiveIntegerField(default=0)


class TaskRun(models.Model):
    """Last run and outcome of each scheduled task, shown on the dashboard and /healthz."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("running")
        OK = "ok", _("succeeded")
        FAILED = "failed", _("failed")

    name = models.CharField(_("task"), max_length=100, unique=True)
    started_at = models.DateTimeField(_("last started"), null=True)
    finished_at = models.DateTimeField(_("last finished"), null=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("scheduled task run")
        verbose_name_plural = _("scheduled task runs")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CalendarDay(models.Model):
    """An admin-entered statutory holiday or make-up workday, overriding chinese-calendar."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("is a working day"))
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("calendar day override")
        verbose_name_plural = _("holiday and make-up workday table")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.name}"


def attachment_path(instance, filename):
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """An uploaded file belonging to any business object; served only through a checked view."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = person(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self):
        return self.mime_type.startswith("image/")


class DeferredTask(models.Model):
    """A task the broker refused while it was down; the job sweep (portal/jobs.py) sends it once it is back."""

    name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    deferred_at = models.DateTimeField(_("deferred at"), default=timezone.now)

    class Meta:
        verbose_name = _("deferred task")
        verbose_name_plural = _("deferred tasks")
        ordering = ["deferred_at", "pk"]

    def __str__(self):
        return self.name


SECURITY_LOG_APPEND_ONLY = (
    "Security events are append-only: they are written by portal.audit.record() and removed only by its purge."
)


class SecurityEventQuerySet(ScopedQuerySet):
    """Rows enter through :meth:`record` (``portal.audit.record``) and leave through :meth:`purge` alone."""

    read_all_roles = SECURITY_LOG_READERS

    def record(self, event):
        """Append one unsaved ``event``: the one sanctioned way a row is written."""
        return super().bulk_create([event])[0]

    def purge(self, *, before):
        """Delete the events older than ``before`` (the retention service's cut-off) and nothing else."""
        return models.QuerySet.delete(self.filter(at__lt=before))[0]

    def bulk_create(self, *args, **kwargs):
        raise ValueError(SECURITY_LOG_APPEND_ONLY)

    def update(self, **kwargs):
        raise ValueError(SECURITY_LOG_APPEND_ONLY)

    def delete(self):
        raise ValueError(SECURITY_LOG_APPEND_ONLY)


class SecurityEvent(models.Model):
    """One entry of the security audit log (等保 2.0 安全审计): who did what security-relevant thing, when, from where.

    Kept apart from the objects' history. ``save()`` and ``delete()`` refuse every row, so neither
    ``objects.create()`` nor the admin forges, edits or removes one; a deleted user keeps their name here.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("Login")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOCKOUT = "lockout", _("Account locked")
        LOGOUT = "logout", _("Logout")
        SESSION_TIMEOUT = "session_timeout", _("Session timed out")
        FORBIDDEN = "forbidden", _("Access refused (403)")
        DOWNLOAD = "download", _("Download")
        EXPORT = "export", _("Export")
        ROLE_CHANGE = "role_change", _("Role change")
        PERMISSION_CHANGE = "permission_change", _("Permission change")
        ADMIN_CHANGE = "admin_change", _("Admin change")
        DIRECTORY_SYNC = "directory_sync", _("Directory sync change")
        DIRECTORY_UNAVAILABLE = "directory_unavailable", _("Directory unavailable")
        SECOND_FACTOR_ENROL = "second_factor_enrol", _("Second factor enrolled")
        SECOND_FACTOR_RESET = "second_factor_reset", _("Second factor reset")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=30, choices=Kind.choices, db_index=True)
    user = person(_("user"), optional=True, on_delete=models.SET_NULL)
    username = models.CharField(_("user name"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    path = models.CharField(_("path"), max_length=500, blank=True)
    what = models.CharField(_("object"), max_length=500, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security audit log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"

    def save(self, *args, **kwargs):
        raise ValueError(SECURITY_LOG_APPEND_ONLY)

    def delete(self, *args, **kwargs):
        raise ValueError(SECURITY_LOG_APPEND_ONLY)
