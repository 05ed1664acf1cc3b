"""Departures and transfers (离岗 / 转岗): what IT must clear before HR completes."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage, person
from portal.scoping import ScopedQuerySet
from portal.workflow import StateField, role_required

from ..permissions import DEPARTURE_OPENERS, DEPARTURE_READERS
from .common import StateBadge
from .people import Department


class DepartureQuerySet(ScopedQuerySet):
    """HR, IT, the DBA, leaders and the auditor see every departure; a department head their department's."""

    read_all_roles = DEPARTURE_READERS
    department_path = "user__department"


class Departure(DetailPage, StateBadge, ConcurrentTransitionMixin, models.Model):
    """离岗 / 转岗: IT closes every access and custody line first; only then may HR complete it."""

    class Kind(models.TextChoices):
        DEPARTURE = "departure", _("Departure")
        TRANSFER = "transfer", _("Transfer")

    class State(models.TextChoices):
        OPEN = "open", _("Clearing access")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    STATE_STYLES = {State.COMPLETED: "success", State.CANCELLED: "secondary"}
    DEFAULT_STATE_STYLE = "warning"

    number = models.CharField(_("number"), max_length=30, unique=True)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.DEPARTURE)
    user = person(_("staff member"), related_name="departures")
    from_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    to_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("new department")
    )
    last_day = models.DateField(_("last working day"))
    successor = person(
        _("successor"),
        optional=True,
        help_text=_("For IT staff: who takes over their duties (a DBA's successor runs the backup and restore test)."),
    )
    reason = models.TextField(_("note"), blank=True)
    network_admin_at_opening = models.BooleanField(
        _("network administrator when opened"), default=False, editable=False
    )
    network_handover_by = person(_("network user list received by"), optional=True)
    network_handover_at = models.DateTimeField(_("network user list handed over at"), null=True, blank=True)
    state = StateField(_("status"), default=State.OPEN, choices=State.choices, protected=True)
    opened_by = person(_("opened by"))
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = DepartureQuerySet.as_manager()

    detail_url = "accounts:departure_detail"

    class Meta:
        verbose_name = _("departure or transfer")
        verbose_name_plural = _("departures and transfers")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(state="open"),
                name="accounts_one_open_departure_per_user",
                violation_error_message=_("This staff member already has an open departure or transfer."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="transfer") | models.Q(to_department__isnull=False),
                name="accounts_transfer_names_new_department",
                violation_error_message=_("A transfer needs the new department."),
            ),
        ]
        indexes = [models.Index(fields=["state", "opened_at"]), models.Index(fields=["completed_at"])]

    def __str__(self):
        return f"{self.number} {self.get_kind_display()} · {self.user}"

    @property
    def is_open(self):
        return self.state == self.State.OPEN

    @transition(
        field=state,
        source=State.OPEN,
        target=State.COMPLETED,
        permission=role_required(*DEPARTURE_OPENERS),
        custom={"label": _("Complete departure or transfer"), "style": "success"},
    )
    def complete(self, *, by, comment=""):
        self.completed_at = timezone.now()

    @transition(
        field=state,
        source=State.OPEN,
        target=State.CANCELLED,
        permission=role_required(*DEPARTURE_OPENERS),
        custom={"label": _("Cancel"), "style": "outline-secondary", "needs_comment": True},
    )
    def cancel(self, *, by, comment=""):
        self.completed_at = timezone.now()
