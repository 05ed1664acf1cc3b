"""Delegation (代理): a department head away on leave names a deputy who acts for them over a date range.

The deputy's right is a django-guardian permission on the department (``accounts.act_for_head``), given and
taken only by ``accounts.services.delegations``; it counts only on a day a live delegation covers
(``accounts.permissions.acts_for_head``), so a missed tick never extends it.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import UserObjectPermission
from simple_history.models import HistoricalRecords

from portal.fields import person
from portal.roles import OVERSIGHT_ROLES, Role
from portal.scoping import ScopedQuerySet

from ..permissions import DELEGATION_PERMISSION
from .people import Department


class DelegationQuerySet(ScopedQuerySet):
    """The IT head and oversight read every delegation; a department head their department's; anyone their own."""

    read_all_roles = (Role.IT_HEAD, *OVERSIGHT_ROLES)
    department_path = "department"
    own_paths = ("principal", "deputy")

    def live(self):
        """Not ended early (it may still be ahead, running, or past its last day)."""
        return self.filter(ended_at__isnull=True)

    def covering(self, day):
        """Live and ``day`` inside its range (both ends included)."""
        return self.live().filter(starts_on__lte=day, ends_on__gte=day)

    def overlapping(self, starts_on, ends_on):
        return self.live().filter(starts_on__lte=ends_on, ends_on__gte=starts_on)

    def granted(self):
        """Those whose deputy holds the portal's permission on the department (django-guardian)."""
        permissions = UserObjectPermission.objects.filter(
            user_id=models.OuterRef("deputy_id"),
            permission__codename=DELEGATION_PERMISSION,
            content_type=ContentType.objects.get_for_model(Department),
            object_pk=Cast(models.OuterRef("department_id"), models.CharField()),
        )
        return self.filter(models.Exists(permissions))


class Delegation(models.Model):
    """代理: ``deputy`` acts for ``principal``, the head of ``department``, from ``starts_on`` to ``ends_on``."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", pgettext_lazy("delegation", "Scheduled")
        IN_FORCE = "in_force", pgettext_lazy("delegation", "In force")
        OVER = "over", pgettext_lazy("delegation", "Over")
        ENDED = "ended", pgettext_lazy("delegation", "Ended early")

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="delegations", verbose_name=_("department")
    )
    principal = person(_("department head"), related_name="delegations_given")
    deputy = person(pgettext_lazy("delegation", "deputy"), related_name="delegations_held")
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day (inclusive)"))
    reason = models.CharField(_("reason"), max_length=200)
    created_by = person(_("named by"))
    created_at = models.DateTimeField(_("named at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended early at"), null=True, blank=True)
    ended_by = person(_("ended by"), optional=True)
    history = HistoricalRecords()

    objects = DelegationQuerySet.as_manager()

    # Bumped by every service that changes a delegation or its permission, so that a user object's cached
    # answer to acting_department_ids (read earlier in this process) is asked again.
    generation = 0

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="accounts_delegation_range_in_order",
                violation_error_message=_("The last day must be on or after the first day."),
            ),
            models.CheckConstraint(
                condition=~models.Q(deputy=models.F("principal")),
                name="accounts_delegation_not_to_oneself",
                violation_error_message=_("A department head cannot name themselves as their deputy."),
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True, ended_by__isnull=True)
                | models.Q(ended_at__isnull=False, ended_by__isnull=False),
                name="accounts_delegation_ended_with_who",
                violation_error_message=_("A delegation ended early records who ended it."),
            ),
        ]
        indexes = [
            models.Index(fields=["deputy", "starts_on", "ends_on"], name="accounts_delegation_deputy"),
            models.Index(fields=["principal", "ends_on"], name="accounts_delegation_principal"),
            models.Index(fields=["department", "ends_on"], name="accounts_delegation_department"),
        ]

    def __str__(self):
        return _("%(deputy)s for %(principal)s, %(start)s – %(end)s") % {
            "deputy": self.deputy,
            "principal": self.principal,
            "start": self.starts_on,
            "end": self.ends_on,
        }

    def status_on(self, day):
        if self.ended_at is not None:
            return self.Status.ENDED
        if day < self.starts_on:
            return self.Status.SCHEDULED
        return self.Status.IN_FORCE if day <= self.ends_on else self.Status.OVER

    @property
    def status(self):
        return self.status_on(timezone.localdate())

    @property
    def is_ongoing(self):
        """Not ended and not yet past its last day: the one that may still be ended early."""
        return self.status in (self.Status.SCHEDULED, self.Status.IN_FORCE)
