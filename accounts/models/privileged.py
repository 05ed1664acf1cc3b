"""Privileged accounts (账号及密码管理) and the major operations done under them. Never a password."""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.fields import DetailPage, person
from portal.roles import has_role

from ..permissions import PRIVILEGED_READERS, kept_accounts
from .access import Tier
from .people import User


class PrivilegedAccountQuerySet(models.QuerySet):
    """An account's page, history and actions are its custodians' and the IT head's (issue 16); 404 to anyone else."""

    def visible_to(self, user):
        return kept_accounts(user, self)

    def register_lines_for(self, user):
        """The register as lines, wider than the pages they lead to.

        The discipline office, leaders, the DBA and IT read which accounts exist, who keeps each one and whether
        its password is changed on time: what an auditor checks against 账号及密码管理制度 without holding the
        account. What was done under an account (its major operations) stays with those who keep it (制度 2: 保存人
        为信息科主任与系统及数据库管理员): a line says only how many were written down (制度 2, 3: 必须有文字记录).
        Custody changes reach the auditor through the security audit log.
        """
        return self if has_role(user, *PRIVILEGED_READERS) else self.visible_to(user)

    def rotation_overdue(self, today=None):
        return self.filter(is_active=True, rotation_due_on__lt=today or timezone.localdate())


class PrivilegedAccount(DetailPage, models.Model):
    """账号及密码管理: who holds a privileged account and when its password was last changed. Never the password."""

    class Kind(models.TextChoices):
        DATABASE = "database", _("Database")
        SERVER = "server", _("Server")
        NETWORK = "network", _("Network device")
        APPLICATION = "application", _("Application system")
        WORKSTATION = "workstation", _("Department computer")

    # Days between password changes, by tier: the policy asks for stricter care the higher the tier.
    ROTATION_DAYS = {Tier.TIER_1: 90, Tier.TIER_2: 180, Tier.TIER_3: 365}

    tier = models.PositiveSmallIntegerField(_("tier"), choices=Tier.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    system_or_device = models.CharField(_("system or device"), max_length=100)
    account_name = models.CharField(_("account name"), max_length=60)
    custodians = models.ManyToManyField(User, related_name="privileged_accounts", verbose_name=_("custodians"))
    last_password_change = models.DateField(_("last password change"))
    rotation_due_on = models.DateField(_("next password change due"), editable=False)
    overdue_flagged_for = models.DateField(_("overdue reminder sent for"), null=True, blank=True, editable=False)
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("Never write a password here."))
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    objects = PrivilegedAccountQuerySet.as_manager()

    detail_url = "accounts:privileged_account_detail"

    class Meta:
        verbose_name = _("privileged account")
        verbose_name_plural = _("privileged accounts")
        ordering = ["tier", "system_or_device", "account_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["system_or_device", "account_name"],
                name="accounts_privileged_account_unique",
                violation_error_message=_("This account is already registered on this system or device."),
            ),
            models.CheckConstraint(
                condition=models.Q(tier__in=[1, 2, 3]),
                name="accounts_privileged_tier_1_to_3",
                violation_error_message=_("The account's tier must be 1, 2 or 3."),
            ),
        ]
        indexes = [models.Index(fields=["is_active", "rotation_due_on"])]
        # Given and taken by accounts.services.privileged as custodians are named and taken off (django-guardian).
        permissions = [("keep_account", _("Custodian"))]

    def __str__(self):
        return f"{self.system_or_device} · {self.account_name}"

    @property
    def rotation_days(self):
        return self.ROTATION_DAYS[self.tier]

    @property
    def needs_operation_log(self):
        return self.tier in (Tier.TIER_1, Tier.TIER_2)

    @property
    def is_overdue(self):
        return self.is_active and self.rotation_due_on < timezone.localdate()

    def save(self, *args, **kwargs):
        self.rotation_due_on = self.last_password_change + timedelta(days=self.ROTATION_DAYS[self.tier])
        super().save(*args, **kwargs)


class MajorOperation(models.Model):
    """A written record of a major operation under a tier-1 or tier-2 account: what, who, when, witness."""

    account = models.ForeignKey(
        PrivilegedAccount, on_delete=models.PROTECT, related_name="operations", verbose_name=_("privileged account")
    )
    description = models.TextField(_("operation"))
    performed_by = person(_("performed by"))
    performed_at = models.DateTimeField(_("performed at"), default=timezone.now)
    witness = person(_("witness"))
    recorded_by = person(_("recorded by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("major operation")
        verbose_name_plural = _("major operations")
        ordering = ["-performed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(witness=models.F("performed_by")),
                name="accounts_operation_witness_is_another_person",
                violation_error_message=_(
                    "The witness must be someone other than the person who performed the operation."
                ),
            )
        ]

    def __str__(self):
        return f"{self.account} · {self.performed_at:%Y-%m-%d %H:%M}"


class CustodyMove(models.Model):
    """A custodian taken off a privileged account (001 一(三)7): its password must be changed after the move.

    Open until a password change of the account is recorded after ``moved_at``; a leaver's departure waits for it.
    """

    account = models.ForeignKey(
        PrivilegedAccount, on_delete=models.PROTECT, related_name="custody_moves", verbose_name=_("privileged account")
    )
    former_custodian = person(_("former custodian"))
    moved_at = models.DateTimeField(_("moved at"), default=timezone.now)
    moved_by = person(_("moved by"))
    password_changed_at = models.DateTimeField(_("password change recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("custody move")
        verbose_name_plural = _("custody moves")
        ordering = ["-moved_at", "-pk"]
        indexes = [models.Index(fields=["former_custodian", "password_changed_at"])]

    def __str__(self):
        return f"{self.account} · {self.former_custodian}"
