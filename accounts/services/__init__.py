"""Rules of access governance, by sub-domain. Views, tasks and the demo call these; each refuses with ActionRefused.

Each workflow model has one entry point for its steps (``permission_request_act``, ``grant_revoke``,
``departure_act``, ``network_request_act``, ``sensitive_request_act``, ``access_scheme_act``) calling ``portal.workflow.perform``;
what a step does beyond its own row is in ``accounts.effects``.
"""

from .access import (
    grant_audit,
    grant_mark_revocation_due,
    grant_revoke,
    grants_expire,
    notify_next_handlers,
    permission_request_act,
    permission_request_submit,
)
from .agreements import agreement_record, require_agreement
from .delegations import delegation_create, delegation_end, delegation_sync
from .departures import (
    OpenLine,
    departure_act,
    departure_is_network_admin,
    departure_open,
    departure_open_lines,
    departure_record_network_handover,
)
from .network import network_request_act, network_request_submit
from .privileged import (
    major_operation_record,
    privileged_account_record_rotation,
    privileged_account_save,
    privileged_rotation_flag_overdue,
)
from .recertification import quarter_of, recertification_decide, recertification_escalate, recertification_open_campaign
from .roles import role_appoint_first_it_head, role_change, role_change_refusal, role_conflicts_now
from .schemes import access_scheme_act, access_scheme_propose, access_scheme_supersede_previous
from .sensitive import (
    sensitive_query_mark_reviewed,
    sensitive_query_record,
    sensitive_request_act,
    sensitive_request_submit,
)
from .training import training_record, training_years

__all__ = [
    "OpenLine",
    "access_scheme_act",
    "access_scheme_propose",
    "access_scheme_supersede_previous",
    "agreement_record",
    "delegation_create",
    "delegation_end",
    "delegation_sync",
    "departure_act",
    "departure_is_network_admin",
    "departure_open",
    "departure_open_lines",
    "departure_record_network_handover",
    "grant_audit",
    "grant_mark_revocation_due",
    "grant_revoke",
    "grants_expire",
    "major_operation_record",
    "network_request_act",
    "network_request_submit",
    "notify_next_handlers",
    "permission_request_act",
    "permission_request_submit",
    "privileged_account_record_rotation",
    "privileged_account_save",
    "privileged_rotation_flag_overdue",
    "quarter_of",
    "recertification_decide",
    "recertification_escalate",
    "recertification_open_campaign",
    "require_agreement",
    "role_appoint_first_it_head",
    "role_change",
    "role_change_refusal",
    "role_conflicts_now",
    "sensitive_query_mark_reviewed",
    "sensitive_query_record",
    "sensitive_request_act",
    "sensitive_request_submit",
    "training_record",
    "training_years",
]
