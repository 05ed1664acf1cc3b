"""Password history: the hash of every password a login has had, so that none of the last few is used again."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.fields import AppendOnly, person

APPEND_ONLY = "Password history is append-only: it is written by accounts.validators.PasswordHistoryValidator alone."


class PasswordHistoryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValueError(APPEND_ONLY)

    def delete(self):
        raise ValueError(APPEND_ONLY)


class PasswordHistory(AppendOnly, models.Model):
    append_only = APPEND_ONLY

    """One password a login was given (its hash only, never the password), and when (001 一(四)5)."""

    user = person(_("user"), related_name="password_history")
    password = models.CharField(_("password"), max_length=128)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now, db_index=True)

    objects = PasswordHistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("password history entry")
        verbose_name_plural = _("password history")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.user} · {self.changed_at:%Y-%m-%d %H:%M}"
