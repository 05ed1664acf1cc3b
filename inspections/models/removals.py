"""The register of items carried out of the machine rooms (000 "机房访问制度" 4)."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage, person
from portal.workflow import Condition, StateField, not_same_person, role_required

from ..permissions import MACHINE_ROOM_LEAD, RECORDERS
from .rooms import MachineRoom
from .scoping import ReadersQuerySet

NOT_APPROVED = _(
    "By the machine-room access rules (机房访问制度 4): without approval no one carries any item out of the "
    "machine room. This item has not been approved."
)


class ItemRemoval(DetailPage, ConcurrentTransitionMixin, models.Model):
    """物品带出登记: what leaves a machine room, who carries it and why, approved before it goes."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CARRIED_OUT = "carried_out", _("Carried out")
        CANCELLED = "cancelled", _("Cancelled")

    room = models.ForeignKey(
        MachineRoom, on_delete=models.PROTECT, related_name="removals", verbose_name=_("machine room")
    )
    item = models.CharField(_("item carried out"), max_length=100)
    asset_number = models.CharField(_("asset number"), max_length=50, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])
    carrier = models.CharField(_("carried by"), max_length=50, help_text=_("The person who takes the item out."))
    carrier_organisation = models.CharField(_("carrier's organisation"), max_length=100, blank=True)
    reason = models.CharField(_("reason for carrying out"), max_length=200)
    planned_on = models.DateField(_("date of carrying out"))
    requested_by = person(_("registered by"))
    requested_at = models.DateTimeField(_("registered at"), default=timezone.now)
    approved_by = person(_("approved by"), optional=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    released_by = person(_("seen out by"), optional=True)
    carried_out_at = models.DateTimeField(_("carried out at"), null=True, blank=True)
    state = StateField(_("status"), default=State.REQUESTED, choices=State.choices, protected=True)
    history = HistoricalRecords()

    objects = ReadersQuerySet.as_manager()

    detail_url = "inspections:removal_detail"

    class Meta:
        verbose_name = _("item carried out")
        verbose_name_plural = _("register of items carried out")
        ordering = ["-planned_on", "-requested_at"]
        indexes = [models.Index(fields=["state", "planned_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1),
                name="removal_quantity_positive",
                violation_error_message=_("At least one item is carried out."),
            ),
            models.CheckConstraint(
                condition=models.Q(carried_out_at__isnull=True)
                | models.Q(approved_by__isnull=False, approved_at__isnull=False),
                name="removal_carried_out_after_approval",
                violation_error_message=NOT_APPROVED,
            ),
        ]

    def __str__(self):
        return f"{self.item} ×{self.quantity}（{self.room}）{self.planned_on}"

    @transition(
        field=state,
        source=State.REQUESTED,
        target=State.APPROVED,
        permission=role_required(*MACHINE_ROOM_LEAD)
        & not_same_person("requested_by", _("You cannot approve an item you registered yourself.")),
        custom={"label": _("Approve"), "style": "success"},
    )
    def approve(self, *, by, comment=""):
        self.approved_by = by
        self.approved_at = timezone.now()

    @transition(
        field=state,
        source=State.REQUESTED,
        target=State.REJECTED,
        permission=role_required(*MACHINE_ROOM_LEAD),
        custom={"label": _("Reject"), "style": "outline-danger", "needs_comment": True},
    )
    def reject(self, *, by, comment=""):
        self.approved_by = by
        self.approved_at = timezone.now()

    @transition(
        field=state,
        source=[State.REQUESTED, State.APPROVED],
        target=State.CARRIED_OUT,
        permission=role_required(*RECORDERS),
        conditions=[Condition(lambda removal: removal.state == ItemRemoval.State.APPROVED, NOT_APPROVED)],
        custom={"label": _("Record carrying out"), "style": "primary"},
    )
    def carry_out(self, *, by, comment=""):
        self.released_by = by
        self.carried_out_at = timezone.now()

    @transition(
        field=state,
        source=[State.REQUESTED, State.APPROVED],
        target=State.CANCELLED,
        permission=role_required(*RECORDERS),
        custom={"label": _("Cancel"), "style": "outline-secondary", "needs_comment": True},
    )
    def cancel(self, *, by, comment=""):
        pass
