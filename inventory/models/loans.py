"""Spare machine loans (备用机出借)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage, person
from portal.scoping import DepartmentScopedQuerySet

from ..permissions import READ_ALL_ROLES
from .equipment import Equipment


class SpareLoanQuerySet(DepartmentScopedQuerySet):
    read_all_roles = READ_ALL_ROLES

    def open(self):
        return self.filter(returned_at__isnull=True)

    def overdue(self, today=None):
        return self.open().filter(expected_return__lt=today or timezone.localdate())


class SpareLoan(DetailPage, models.Model):
    """备用机出借登记: a spare machine lent to a department until it is returned."""

    spare = models.ForeignKey(
        Equipment, on_delete=models.PROTECT, related_name="loans", verbose_name=_("spare machine")
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="spare_loans",
        verbose_name=_("borrowing department"),
    )
    borrower = person(_("borrower"), optional=True, on_delete=models.SET_NULL)
    handler = person(_("handler"))
    lent_at = models.DateTimeField(_("lent at"), default=timezone.now)
    expected_return = models.DateField(_("expected return"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_to = person(_("received back by"), optional=True)
    reason = models.CharField(_("reason / ticket"), max_length=200, blank=True)
    overdue_reminded_on = models.DateField(_("last overdue reminder"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    objects = SpareLoanQuerySet.as_manager()

    detail_url = "inventory:loan_detail"

    class Meta:
        verbose_name = _("spare loan")
        verbose_name_plural = _("spare loans")
        ordering = ["-lent_at", "-id"]
        indexes = [models.Index(fields=["returned_at", "expected_return"], name="inv_loan_open_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["spare"],
                condition=Q(returned_at__isnull=True),
                name="inventory_one_open_loan_per_spare",
                violation_error_message=_("This spare is already lent out."),
            ),
        ]

    def __str__(self):
        return f"{self.spare.asset_no} → {self.department}"

    @property
    def is_open(self):
        return self.returned_at is None

    @property
    def is_overdue(self):
        return self.is_open and self.expected_return < timezone.localdate()
