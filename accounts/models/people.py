"""People: departments and the hospital's staff (the custom user model)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage, person
from portal.scoping import ScopedQuerySet

from ..permissions import USER_READERS


class Department(models.Model):
    class Kind(models.TextChoices):
        CLINICAL = "clinical", _("Clinical department")
        ADMINISTRATIVE = "administrative", _("Administrative department")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CLINICAL)
    head = person(_("department head"), optional=True, on_delete=models.SET_NULL, related_name="headed_departments")
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]
        # Given to a head's deputy for a delegation's days, only by accounts.services.delegations.
        permissions = [("act_for_head", _("Act for the department head"))]

    def __str__(self):
        return self.name


class UserQuerySet(ScopedQuerySet):
    """IT, HR, leaders and the auditor see everyone; a department head their department; everyone themselves."""

    read_all_roles = USER_READERS
    department_path = "department"
    own_paths = ("pk",)


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(DetailPage, AbstractUser):
    """A member of hospital staff. Roles are Django groups named by the codes in ``portal.roles``."""

    employee_no = models.CharField(_("employee number"), max_length=20, unique=True, null=True, blank=True)
    full_name = models.CharField(_("full name"), max_length=50)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("department"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # The directory entry this login comes from (accounts/directory.py); empty for a local account.
    directory_dn = models.CharField(_("directory entry"), max_length=255, blank=True, editable=False)
    # 001 一(四)5: passwords are changed regularly; set whenever a new password is saved (``save`` below).
    password_changed_at = models.DateTimeField(_("password changed at"), default=timezone.now)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = PortalUserManager()

    detail_url = "accounts:user_detail"

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        if self._password is not None:  # set_password() was called: this save stores a new password
            self.password_changed_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "password_changed_at"}
        super().save(*args, **kwargs)  # then Django's password_changed() hook writes the password history

    @property
    def password_expires_at(self):
        """When the password must be changed; None if passwords do not expire or the login has no local password."""
        if not settings.PASSWORD_MAX_AGE_DAYS or not self.has_usable_password():
            return None
        return self.password_changed_at + timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)

    def password_expired(self):
        expires_at = self.password_expires_at
        return expires_at is not None and timezone.now() > expires_at

    def clean(self):
        super().clean()
        # 000 保密制度 6: no one uses another person's code, so every login is known by its holder's 工号.
        if not (self.employee_no or self.is_superuser):
            raise ValidationError({"employee_no": _("Every login needs its holder's employee number (工号).")})
