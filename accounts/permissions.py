"""Who may do what in access governance: the app's role sets, its guards and its ``may_<verb>(user, obj=None)``.

Models (querysets and transition guards), views (``allowed_roles``, ``permits``), services and templates
(``{% may "accounts.<verb>" obj as ok %}``) ask these. A ``*_refusal`` says why an action that is not a
transition cannot be taken now; the same function draws the button and refuses the POST.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.roles import IT_ROLES, OVERSIGHT_ROLES, ROLE_GRANTERS, Role, has_role
from portal.workflow import Guard, may_take, role_required

READS_ALL = (*IT_ROLES, *OVERSIGHT_ROLES)
PROVISIONERS = (*IT_ROLES, Role.DBA)
"""Who sets up an approved request's account: IT, and the DBA (系统及数据库管理员职责 2: 用户注册、设置口令、授予权限)."""
"""Who reads every request, grant and departure of the hospital."""
USER_READERS = (*IT_ROLES, Role.DBA, Role.HR, *OVERSIGHT_ROLES)
"""Who sees every member of staff; a department head sees their department, anyone else themselves."""
REQUEST_PAGE_ROLES = tuple(role for role in Role if role != Role.HR)
"""HR sees departures and transfers only: its role alone opens no request, grant or account page."""
GRANT_READERS = (*READS_ALL, Role.DBA)
GRANT_PAGE_ROLES = (*IT_ROLES, Role.DBA, Role.AUDITOR, Role.LEADER, Role.DEPT_HEAD)
DEPARTURE_READERS = (*READS_ALL, Role.DBA, Role.HR)
DEPARTURE_PAGE_ROLES = (Role.HR, *IT_ROLES, Role.DBA, Role.LEADER, Role.AUDITOR, Role.DEPT_HEAD)
DEPARTURE_OPENERS = (Role.HR,)
"""HR opens, completes and cancels a departure or transfer."""
HANDOVER_RECORDERS = (Role.IT_HEAD,)
"""Who records that a leaving network administrator handed over the user list."""
PRIVILEGED_READERS = (*IT_ROLES, Role.DBA, Role.AUDITOR, Role.LEADER)
"""Who reads the register's lines (which accounts exist, who keeps them, when their passwords change); an account's
page, with its major operations, is its custodians' and the IT head's only (``kept_accounts``)."""
PRIVILEGED_KEEPERS = (*IT_ROLES, Role.DBA)
"""Who registers privileged accounts and, for those they keep, edits their entry."""
CUSTODY = "accounts.keep_account"
"""The object permission a privileged account's custodians hold on it (django-guardian), given and taken only by
``accounts.services.privileged`` as custodians are named and taken off."""
CUSTODY_OVERSEERS = (Role.IT_HEAD,)
"""The IT head keeps every tier-1 and tier-2 account (账号及密码管理制度 2, 3) and opens every account's page."""
QUERY_LOG_READERS = (*IT_ROLES, Role.AUDITOR, Role.LEADER)
QUERY_LOG_KEEPERS = IT_ROLES
QUERY_LOG_REVIEWERS = (Role.AUDITOR,)
RECERTIFICATION_ROLES = (Role.DEPT_HEAD, *IT_ROLES, Role.AUDITOR, Role.LEADER)
RECERTIFIERS = (Role.DEPT_HEAD, Role.IT_HEAD)
"""Who answers recertification items: department heads, and the IT head for the heads' own grants."""
ROLE_CHANGE_READERS = (*ROLE_GRANTERS, *OVERSIGHT_ROLES)
"""Who reads the record of role changes of everyone (anyone reads their own on their page)."""
AGREEMENT_READERS = (Role.IT_HEAD, Role.HR, Role.AUDITOR)
"""Who reads every signed agreement; everybody else sees their own."""
AGREEMENT_KEEPERS = (Role.IT_HEAD, Role.HR)
"""Who records that a confidentiality agreement or pledge was signed."""
TRAINING_READERS = (Role.IT_HEAD, Role.AUDITOR, Role.LEADER)
"""Who reads every training record; an IT technician reads their own."""
TRAINING_PAGE_ROLES = (*IT_ROLES, Role.DBA, Role.AUDITOR, Role.LEADER)
TRAINING_KEEPERS = (Role.IT_HEAD,)
"""Who records training attended (the IT head plans it, 学习培训制度 1)."""
TECHNICIANS = (*IT_ROLES, Role.DBA)
"""信息科技术人员: the IT department's technical staff (their yearly training, their confidentiality agreement)."""
SUCCESSOR_ROLES = TECHNICIANS
"""Who may take over an IT person's duties, hold a privileged account or witness a major operation."""


DELEGATION_PERMISSION = "act_for_head"
"""The django-guardian permission on a Department that a head's deputy holds for the delegation's days."""
DELEGATION_KEEPERS = (Role.IT_HEAD,)
"""Who names a deputy for any department's head (a head names their own)."""


def acting_department_ids(user) -> frozenset:
    """The departments ``user`` acts for as a head's deputy today: a live delegation covers today AND the portal
    has given its permission. Both, so that neither a missed tick nor a permission given by hand extends it.

    One query per user object and day (cached on the user, like its roles); a change of delegations bumps
    the generation, so an object read before the change asks again.
    """
    if not user.is_authenticated or not user.department_id:
        return frozenset()
    from .models.delegations import Delegation  # here: the models import this module

    key = (timezone.localdate(), Delegation.generation)
    cached = getattr(user, "_acting_for", None)
    if cached is None or cached[0] != key:
        ids = (
            Delegation.objects.covering(key[0])
            .granted()
            .filter(deputy=user, department_id=user.department_id)
            .values_list("department_id", flat=True)
        )
        cached = (key, frozenset(ids))
        user._acting_for = cached
    return cached[1]


def acts_for_head(user, department_id) -> bool:
    """Whether ``user`` acts as head of department ``department_id`` today: its head, or the head's deputy.

    The one question every department-head step asks (permission and statistics requests, repair parts).
    """
    if not user.is_authenticated or department_id is None or user.department_id != department_id:
        return False
    return has_role(user, Role.DEPT_HEAD) or department_id in acting_department_ids(user)


def head_acted_for(user, department_id):
    """The head on whose behalf ``user`` acts for ``department_id`` today, or ``None`` (they act in their own right)."""
    if has_role(user, Role.DEPT_HEAD) or not acts_for_head(user, department_id):
        return None
    from .models.delegations import Delegation  # here: the models import this module

    delegation = (
        Delegation.objects.covering(timezone.localdate())
        .filter(deputy=user, department_id=department_id)
        .select_related("principal")
        .first()
    )
    return delegation.principal if delegation else None


def delegation_refusal(user, department_id) -> str | None:
    """Why a deputy of ``department_id``'s head may not act for the head today, or ``None`` if they are no deputy."""
    from .models.delegations import Delegation  # here: the models import this module

    today = timezone.localdate()
    delegations = Delegation.objects.filter(deputy=user, department_id=department_id).select_related("principal")
    delegation = delegations.covering(today).first() or delegations.order_by("-starts_on").first()
    if delegation is None:
        return None
    if user.department_id != department_id:
        return _("You act for the head only while you are a member of their department.")
    values = {"head": delegation.principal, "start": delegation.starts_on, "end": delegation.ends_on}
    if delegation.ended_at is not None:
        return _("Your delegation from %(head)s was ended early, so you no longer act for the head.") % values
    if delegation.starts_on <= today <= delegation.ends_on:
        return (
            _("Your delegation from %(head)s is not in force yet: the portal puts it in force within the hour.")
            % values
        )
    return _("You act for %(head)s only from %(start)s to %(end)s; outside those days the head decides.") % values


class HeadOfDepartment(Guard):
    """The head of the object's department, or the head's deputy on a day of the delegation (on the head's behalf)."""

    role_message = role_required(Role.DEPT_HEAD).message

    def __init__(self, department_of=lambda obj: obj.department_id):
        self.department_of = department_of
        self.message = gettext_lazy("A department head acts only for their own department.")

    def refusal(self, instance, user):
        department_id = self.department_of(instance)
        if acts_for_head(user, department_id):
            return None
        if has_role(user, Role.DEPT_HEAD):
            return self.message
        return delegation_refusal(user, department_id) or self.role_message

    def principal(self, instance, user):
        return head_acted_for(user, self.department_of(instance))


NOT_APPLICANT = Guard(lambda obj, user: obj.applicant_id != user.pk, gettext_lazy("No one approves their own request."))
DEPT_HEAD_HERE = HeadOfDepartment()
"""The department head's step: the head of the object's department, or their deputy during a delegation."""


def may_read_holdings(user, person=None) -> bool:
    """What a person holds is read by the person and by every role but HR (which reads no one's access)."""
    return person == user or has_role(user, *REQUEST_PAGE_ROLES)


def may_file_sensitive_query(user, obj=None) -> bool:
    """Only roles whose work needs drug or consumable statistics may ask for them (``SENSITIVE_QUERY_ROLES``)."""
    return has_role(user, *settings.SENSITIVE_QUERY_ROLES)


def may_clear_departures(user, obj=None) -> bool:
    """IT revokes or reassigns each line of a departure."""
    return has_role(user, *IT_ROLES)


def may_revoke_grant(user, grant=None) -> bool:
    return may_take(grant, "revoke", user) if grant is not None else has_role(user, *IT_ROLES)


def may_keep_privileged(user, obj=None) -> bool:
    return has_role(user, *PRIVILEGED_KEEPERS)


def kept_accounts(user, accounts):
    """The privileged accounts among ``accounts`` whose page ``user`` opens and whose password changes and major
    operations they record: those they keep (``CUSTODY``), and every one for the IT head.

    The one answer to "may this person handle this account": the queryset's ``visible_to``, the views' and the
    services' refusals all ask it.
    """
    from guardian.shortcuts import get_objects_for_user

    if not user.is_authenticated:
        return accounts.none()
    if has_role(user, *CUSTODY_OVERSEERS):
        return accounts
    return get_objects_for_user(
        user, CUSTODY, klass=accounts, use_groups=False, accept_global_perms=False, with_superuser=False
    )


def may_keep_account(user, account) -> bool:
    return kept_accounts(user, type(account)._default_manager.filter(pk=account.pk)).exists()


def account_edit_refusal(user, account) -> str | None:
    """Why ``user`` may not register ``account`` (new) or change its entry and custodians, or ``None``.

    IT and the DBA register accounts; an entry, custodians included, is changed by the IT head or by one of its
    custodians who works in IT: custody is never given by someone who does not hold it.
    """
    if not may_keep_privileged(user):
        return _("Only IT keeps the privileged-account register.")
    if account.pk and not may_keep_account(user, account):
        return _("Only the account's custodians and the IT head change its entry.")
    return None


def rotation_refusal(user, account) -> str | None:
    """Why ``user`` may not record a password change of ``account``, or ``None``."""
    if not may_keep_account(user, account):
        return _("Only the account's custodians and the IT head record its password changes.")
    return None


def operation_log_refusal(user, account) -> str | None:
    """Why ``user`` may not record a major operation under ``account``, or ``None``."""
    if not account.needs_operation_log:
        return _("Major-operation records are kept for tier 1 and tier 2 accounts.")
    if not may_keep_account(user, account):
        return _("Only the account's custodians and the IT head record its major operations.")
    return None


def may_record_queries(user, obj=None) -> bool:
    return has_role(user, *QUERY_LOG_KEEPERS)


def handover_refusal(user, departure) -> str | None:
    """Why ``user`` may not record the network handover of ``departure`` now, or ``None``."""
    if not has_role(user, *HANDOVER_RECORDERS):
        return _("The IT head arranges the handover and records it.")
    if user.pk == departure.user_id:
        return _("The person leaving cannot confirm their own handover.")
    if not departure.is_open:
        return _("This departure is no longer open.")
    return None


def may_record_handover(user, departure=None) -> bool:
    return handover_refusal(user, departure) is None


def review_refusal(user, entry) -> str | None:
    if not has_role(user, *QUERY_LOG_REVIEWERS):
        return _("Only the discipline office reviews the query log.")
    if entry.reviewed_at:
        return _("This entry has already been reviewed.")
    return None


def may_review_query(user, entry=None) -> bool:
    return review_refusal(user, entry) is None if entry is not None else has_role(user, *QUERY_LOG_REVIEWERS)


def recertification_refusal(user, item) -> str | None:
    """Why ``user`` may not answer recertification ``item`` now, or ``None``."""
    if item.reviewer_id != user.pk:
        return _("Only the reviewer named for this grant may answer.")
    if item.grant.user_id == user.pk:
        return _("No one recertifies their own access.")
    if not item.is_pending:
        return _("This grant has already been answered.")
    return None


def may_recertify(user, item=None) -> bool:
    return recertification_refusal(user, item) is None


def may_assign_roles(user, obj=None) -> bool:
    """Who gives and takes roles and resolves conflicting ones (``portal.roles.ROLE_GRANTERS``)."""
    return has_role(user, *ROLE_GRANTERS)


def may_record_agreements(user, obj=None) -> bool:
    return has_role(user, *AGREEMENT_KEEPERS)


SCHEME_APPROVERS = (Role.LEADER,)
"""The leading group approves each system's access scheme (001 一(三)8: 报请领导小组核准实施)."""


def scheme_proposal_refusal(user, system) -> str | None:
    """Why ``user`` may not propose a new access scheme for ``system`` now, or ``None``.

    The system's owner proposes it (001 一(三)8); the IT head does for a system with no owner.
    """
    if system.owner_id is not None and system.owner_id != user.pk:
        return _("Only the system owner (%(owner)s) proposes its access scheme.") % {"owner": system.owner}
    if system.owner_id is None and not has_role(user, Role.IT_HEAD):
        return _("This system has no owner, so the IT head proposes its access scheme.")
    if not system.is_active:
        return _("This system is no longer in use.")
    if system.schemes.filter(state="proposed").exists():
        return _("A scheme of this system is already awaiting the leader's approval.")
    return None


def may_propose_scheme(user, system=None) -> bool:
    return system is not None and scheme_proposal_refusal(user, system) is None


DELEGATION_NAMERS = (Role.DEPT_HEAD, *DELEGATION_KEEPERS)
"""Who names a deputy: a department head (their own), the IT head (any department's head)."""
DELEGATION_PAGE_ROLES = (*DELEGATION_NAMERS, *OVERSIGHT_ROLES)
"""Who opens the delegation list: heads (their department's), the IT head and oversight (all)."""


def naming_refusal(user, department) -> str | None:
    """Why ``user`` may not name a deputy for the head of ``department``, or ``None``."""
    if has_role(user, *DELEGATION_KEEPERS):
        return None
    if has_role(user, Role.DEPT_HEAD) and user.department_id == department.pk:
        return None
    return _("Only the head of %(department)s, or the IT head, names a deputy for its head.") % {
        "department": department
    }


def delegation_end_refusal(user, delegation) -> str | None:
    """Why ``user`` may not end ``delegation`` early now, or ``None``: the same question draws the button."""
    refusal = naming_refusal(user, delegation.department)
    if refusal:
        return refusal
    if delegation.ended_at is not None:
        return _("This delegation was already ended.")
    if not delegation.is_ongoing:
        return _("This delegation is already over.")
    return None


def may_end_delegation(user, delegation=None) -> bool:
    return delegation is not None and delegation_end_refusal(user, delegation) is None
