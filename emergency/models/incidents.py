"""The security-incident register (000 账号及密码管理制度 6): a password or data leak or a service interruption,
the temporary technical protection and monitoring taken, its resolution, and the report filed with the hospital."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition
from simple_history.models import HistoricalRecords

from portal.exceptions import ActionRefused
from portal.fields import DetailPage, person
from portal.scoping import ScopedQuerySet
from portal.workflow import StateField, role_required

from ..permissions import READERS, RECORDERS, REPORT_FILERS


class SecurityIncidentQuerySet(ScopedQuerySet):
    read_all_roles = READERS


class SecurityIncident(DetailPage, ConcurrentTransitionMixin, models.Model):
    """安全事件: recorded and resolved by IT, then reported to the hospital's archive by the IT head."""

    NUMBER_PREFIX = "AQSJ"

    class Kind(models.TextChoices):
        PASSWORD_LEAK = "password_leak", _("Password leak")
        DATA_LEAK = "data_leak", _("Data leak")
        SERVICE_INTERRUPTION = "service_interruption", _("Service interruption")
        PRIVACY_LEAK = "privacy_leak", _("Private data leak")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        OPEN = "open", _("Being handled")
        RESOLVED = "resolved", _("Resolved, report due")
        REPORTED = "reported", _("Reported to the hospital")

    number = models.CharField(_("number"), max_length=30, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("summary"), max_length=200)
    description = models.TextField(_("what happened"))
    occurred_at = models.DateTimeField(_("occurred at"))
    discovered_at = models.DateTimeField(_("discovered at"))
    affected_systems = models.TextField(_("systems and devices affected"))
    equipment = models.ForeignKey(
        "inventory.Equipment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="security_incidents",
        verbose_name=_("equipment (ledger)"),
    )
    measures = models.TextField(_("temporary protective and monitoring measures"))
    state = StateField(_("status"), default=State.OPEN, choices=State.choices, protected=True)
    recorded_by = person(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = person(_("resolved by"), optional=True)
    report = models.TextField(_("report filed with the hospital"), blank=True)
    reported_at = models.DateTimeField(_("reported to the hospital at"), null=True, blank=True)
    reported_by = person(_("reported to the hospital by"), optional=True)
    history = HistoricalRecords()

    objects = SecurityIncidentQuerySet.as_manager()

    detail_url = "emergency:incident_detail"

    class Meta:
        verbose_name = _("security incident")
        verbose_name_plural = _("security incidents")
        ordering = ["-discovered_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(discovered_at__gte=F("occurred_at")),
                name="emergency_incident_discovered_after_occurred",
                violation_error_message=_("An incident is discovered when or after it occurred."),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @transition(
        field=state,
        source=State.OPEN,
        target=State.RESOLVED,
        permission=role_required(*RECORDERS),
        custom={"label": _("Record the resolution"), "style": "success", "needs_comment": True},
    )
    def resolve(self, *, by, resolution, resolved_at, comment=""):
        if resolved_at < self.discovered_at:
            raise ActionRefused(_("An incident is resolved after it was discovered."))
        if resolved_at > timezone.now():
            raise ActionRefused(_("Record the resolution once the problem is solved, not ahead of time."))
        self.resolution, self.resolved_at, self.resolved_by = resolution, resolved_at, by

    @transition(
        field=state,
        source=State.RESOLVED,
        target=State.REPORTED,
        permission=role_required(*REPORT_FILERS),
        custom={"label": _("File the report with the hospital"), "style": "primary", "needs_comment": True},
    )
    def file_report(self, *, by, report, comment=""):
        if not report.strip():
            raise ActionRefused(_("账号及密码管理制度 6: the report gathers all the related data; it cannot be empty."))
        self.report, self.reported_at, self.reported_by = report, timezone.now(), by
