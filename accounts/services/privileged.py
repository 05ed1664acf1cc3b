"""The privileged-account register: custody, password changes, major operations and overdue reminders."""

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import assign_perm, remove_perm

from portal import audit
from portal.exceptions import ActionRefused
from portal.notifications import notify, users_with_role
from portal.roles import Role, has_role
from portal.validation import validated

from ..models import CustodyMove, MajorOperation, PrivilegedAccount, Tier
from ..permissions import CUSTODY, CUSTODY_OVERSEERS, account_edit_refusal, operation_log_refusal, rotation_refusal


def _tier_custody_refusal(tier, custodians):
    """账号及密码管理制度 2–4: who keeps an account of each tier, or ``None`` when the custodians fit."""
    if tier == Tier.TIER_1 and not (_any(custodians, Role.IT_HEAD) and _any(custodians, Role.DBA)):
        return _("Account and password rules, item 2: a tier-1 account is kept by the IT head and a DBA together.")
    if tier == Tier.TIER_2 and not (_any(custodians, Role.IT_HEAD) and _any(custodians, Role.IT_OFFICER, Role.DBA)):
        return _(
            "Account and password rules, item 3: a tier-2 account is kept by the IT head and an IT staff member together."
        )
    return None


def _any(people, *roles):
    return any(has_role(user, *roles) for user in people)


def privileged_account_save(*, account, custodians, by):
    """Register or edit an account with its custodians, the one place custody is given and taken.

    A custodian named gets ``CUSTODY`` on the account, one taken off loses it and opens a custody move
    (001 一(三)7); each change is in the security audit log.
    """
    refusal = account_edit_refusal(by, account)
    if refusal:
        raise ActionRefused(refusal)
    if not custodians:
        raise ActionRefused(_("Name at least one custodian."))
    if not account.pk and by not in custodians and not has_role(by, *CUSTODY_OVERSEERS):
        raise ActionRefused(
            _("Name yourself among the custodians of an account you register; the IT head registers the others.")
        )
    refusal = _tier_custody_refusal(account.tier, custodians)
    if refusal:
        raise ActionRefused(refusal)
    validated(account)
    with transaction.atomic():
        if account.pk:  # two edits at once: the second reads the custodians the first left
            list(PrivilegedAccount.objects.select_for_update().filter(pk=account.pk).values_list("pk"))
        former = set(account.custodians.all()) if account.pk else set()
        account.save()
        account.custodians.set(custodians)
        for user in sorted(set(custodians) - former, key=lambda user: user.pk):
            _custody_change(account, user, by, assign_perm, "named")
        for user in sorted(former - set(custodians), key=lambda user: user.pk):
            _custody_change(account, user, by, remove_perm, "taken off")
        CustodyMove.objects.bulk_create(
            CustodyMove(account=account, former_custodian=user, moved_by=by) for user in former - set(custodians)
        )
    return account


def _custody_change(account, custodian, by, change, what):
    change(CUSTODY, custodian, account)
    audit.record(audit.Kind.PERMISSION_CHANGE, user=by, what=f"{account}: {custodian}", detail={"custodian": what})


def privileged_account_record_rotation(*, account, changed_on, by):
    refusal = rotation_refusal(by, account)
    if refusal:
        raise ActionRefused(refusal)
    if changed_on > timezone.localdate():
        raise ActionRefused(_("The date of the password change cannot be in the future."))
    if changed_on < account.last_password_change:
        raise ActionRefused(_("The date is earlier than the last recorded password change."))
    account.last_password_change = changed_on
    account.overdue_flagged_for = None
    account._change_reason = _("Password changed")
    with transaction.atomic():
        account.save()
        CustodyMove.objects.filter(account=account, password_changed_at__isnull=True).update(
            password_changed_at=timezone.now()
        )
    return account


def major_operation_record(*, account, description, performed_by, performed_at, witness, by):
    reason = operation_log_refusal(by, account)
    if reason:
        raise ActionRefused(reason)
    if performed_at > timezone.now():
        raise ActionRefused(_("The operation time cannot be in the future."))
    operation = validated(
        MajorOperation(
            account=account,
            description=description,
            performed_by=performed_by,
            performed_at=performed_at,
            witness=witness,
            recorded_by=by,
        )
    )
    operation.save()
    return operation


def privileged_rotation_flag_overdue(*, today: date | None = None) -> int:
    """Daily: tell custodians and the IT head about each account past its rotation, once per due date."""
    today = today or timezone.localdate()
    overdue = list(
        PrivilegedAccount.objects.rotation_overdue(today)
        .exclude(overdue_flagged_for=F("rotation_due_on"))
        .prefetch_related("custodians")
    )
    heads = list(users_with_role(Role.IT_HEAD))
    for account in overdue:
        notify(
            list(account.custodians.all()) + heads,
            title=gettext_lazy("Password change overdue: %(account)s (tier %(tier)s)"),
            body=gettext_lazy("Due on %(date)s."),
            url=account.get_absolute_url(),
            params={"account": account, "tier": account.tier, "date": account.rotation_due_on},
        )
        PrivilegedAccount.objects.filter(pk=account.pk).update(overdue_flagged_for=account.rotation_due_on)
    return len(overdue)
