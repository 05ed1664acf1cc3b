"""Role changes: every role given or taken on the portal's role page, kept append-only."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.fields import AppendOnly, person
from portal.roles import Role
from portal.scoping import ScopedQuerySet

from ..permissions import ROLE_CHANGE_READERS

APPEND_ONLY = "Role changes are append-only: they are written by accounts.services.role_change alone."


class RoleChangeQuerySet(ScopedQuerySet):
    """Whoever grants roles, the leaders and the auditor read every change; anyone the changes to their own roles."""

    read_all_roles = ROLE_CHANGE_READERS
    own_paths = ("user",)

    def update(self, **kwargs):
        raise ValueError(APPEND_ONLY)

    def delete(self):
        raise ValueError(APPEND_ONLY)


class RoleChange(AppendOnly, models.Model):
    append_only = APPEND_ONLY

    """One role given to or taken from a member of staff: who, when, which role and why."""

    class Change(models.TextChoices):
        GIVEN = "given", _("given")
        TAKEN = "taken", _("taken")

    user = person(_("user"), related_name="role_changes")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    change = models.CharField(_("change"), max_length=10, choices=Change.choices)
    reason = models.TextField(_("reason"))
    changed_by = person(_("changed by"))
    changed_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    objects = RoleChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("role change")
        verbose_name_plural = _("role changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.user} · {self.get_change_display()} · {self.get_role_display()}"
