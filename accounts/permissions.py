"""Who may do what in access governance: the app's role sets, its guards and its ``may_<verb>(user, obj=None)``.

Models (querysets and transition guards), views (``allowed_roles``, ``permits``), services and templates
(``{% may "accounts.<verb>" obj as ok %}``) ask these. A ``*_refusal`` says why an action that is not a
transition cannot be taken now; the same function draws the button and refuses the POST.
"""

from django.conf import settings
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


def in_own_department(instance, user) -> bool:
    return bool(user.department_id) and instance.department_id == user.department_id


NOT_APPLICANT = Guard(lambda obj, user: obj.applicant_id != user.pk, gettext_lazy("No one approves their own request."))
DEPT_HEAD_HERE = role_required(Role.DEPT_HEAD) & Guard(
    in_own_department, gettext_lazy("A department head acts only for their own department.")
)


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
