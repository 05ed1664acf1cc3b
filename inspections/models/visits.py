"""The visitor register of the machine rooms."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition
from simple_history.models import HistoricalRecords

from portal.exceptions import ActionRefused
from portal.fields import DetailPage, person
from portal.workflow import Condition, StateField, not_same_person, role_required

from ..permissions import MACHINE_ROOM_LEAD, RECORDERS, may_record
from ..policy import forbidden_in
from .rooms import MachineRoom
from .scoping import ReadersQuerySet


class Visit(DetailPage, ConcurrentTransitionMixin, models.Model):
    """外来人员出入登记: a visitor's request, its approval, and the escorted time in the room."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CHECKED_IN = "checked_in", _("In the room")
        CHECKED_OUT = "checked_out", _("Left")
        CANCELLED = "cancelled", _("Cancelled")

    room = models.ForeignKey(
        MachineRoom, on_delete=models.PROTECT, related_name="visits", verbose_name=_("machine room")
    )
    visitor_name = models.CharField(_("visitor"), max_length=50)
    organisation = models.CharField(_("visitor's organisation"), max_length=100)
    id_number = models.CharField(_("ID document number"), max_length=30, blank=True)
    purpose = models.CharField(_("purpose of visit"), max_length=200)
    visit_date = models.DateField(_("date of visit"))
    items_brought = models.CharField(_("items brought in"), max_length=200, blank=True)
    forbidden_items_found = models.CharField(
        _("forbidden items named"),
        max_length=500,
        blank=True,
        editable=False,
        help_text=_("The entries of the machine-room policy's forbidden list that the brought items name."),
    )
    requested_by = person(_("registered by"))
    requested_at = models.DateTimeField(_("registered at"), default=timezone.now)
    approved_by = person(_("approved by"), optional=True)
    escort = person(_("escort"), optional=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    state = StateField(_("status"), default=State.REQUESTED, choices=State.choices, protected=True)
    history = HistoricalRecords()

    objects = ReadersQuerySet.as_manager()

    detail_url = "inspections:visit_detail"

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visitor register")
        ordering = ["-visit_date", "-requested_at"]
        indexes = [models.Index(fields=["state", "visit_date"]), models.Index(fields=["visit_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(checked_in_at__isnull=True) | models.Q(escort__isnull=False),
                name="visit_check_in_needs_escort",
                violation_error_message=_("A visitor is checked in only with an escort."),
            ),
            models.CheckConstraint(
                condition=models.Q(checked_out_at__isnull=True)
                | models.Q(checked_in_at__lte=models.F("checked_out_at")),
                name="visit_out_after_in",
                violation_error_message=_("A visitor cannot leave before arriving."),
            ),
        ]

    def __str__(self):
        return f"{self.visitor_name}（{self.organisation}）{self.visit_date}"

    @property
    def id_number_masked(self):
        """Only the last four characters are shown, enough to match the document at the door."""
        shown = self.id_number[-4:] if len(self.id_number) > 4 else ""
        return "*" * (len(self.id_number) - len(shown)) + shown

    def save(self, *args, **kwargs):
        self.forbidden_items_found = "、".join(str(item) for item in forbidden_in(self.items_brought))
        super().save(*args, **kwargs)

    @transition(
        field=state,
        source=State.REQUESTED,
        target=State.APPROVED,
        permission=role_required(*MACHINE_ROOM_LEAD)
        & not_same_person("requested_by", _("You cannot approve a visit you registered yourself.")),
        custom={"label": _("Approve"), "style": "success"},
    )
    def approve(self, *, by, comment=""):
        self.approved_by = by

    @transition(
        field=state,
        source=State.REQUESTED,
        target=State.REJECTED,
        permission=role_required(*MACHINE_ROOM_LEAD),
        custom={"label": _("Reject"), "style": "outline-danger", "needs_comment": True},
    )
    def reject(self, *, by, comment=""):
        self.approved_by = by

    @transition(
        field=state,
        source=State.APPROVED,
        target=State.CHECKED_IN,
        permission=role_required(*RECORDERS),
        conditions=[
            Condition(lambda v: v.visit_date == timezone.localdate(), _("The visit was approved for another day."))
        ],
        custom={"label": _("Check in"), "style": "primary", "needs_comment": True},
    )
    def check_in(self, *, by, comment="", escort):
        if escort is None or not may_record(escort):
            raise ActionRefused(_("A visitor is checked in only with an escort from the IT department."))
        if self.forbidden_items_found and not comment.strip():
            raise ActionRefused(
                _(
                    "By the machine-room access rules (机房访问制度 5), no one brings into the machine room items that "
                    "may threaten its operation. The visitor registered: %(items)s. Say in the comment that these "
                    "items were left outside the room."
                )
                % {"items": self.forbidden_items_found}
            )
        self.escort = escort
        self.checked_in_at = timezone.now()

    @transition(
        field=state,
        source=State.CHECKED_IN,
        target=State.CHECKED_OUT,
        permission=role_required(*RECORDERS),
        custom={"label": _("Check out"), "style": "secondary"},
    )
    def check_out(self, *, by, comment=""):
        self.checked_out_at = timezone.now()

    @transition(
        field=state,
        source=[State.REQUESTED, State.APPROVED],
        target=State.CANCELLED,
        permission=role_required(*RECORDERS),
        custom={"label": _("Cancel visit"), "style": "outline-secondary", "needs_comment": True},
    )
    def cancel(self, *, by, comment=""):
        pass
