from django.urls import path

from portal.urlkit import object_urls

from .views import (
    access,
    agreements,
    delegations,
    departures,
    network,
    people,
    privileged,
    recertification,
    roles,
    schemes,
    second_factor,
    sensitive,
    training,
)

app_name = "accounts"


def transition(plural, name, view):
    """``<plural>/<pk>/<action>/`` named ``<name>_transition``: the object's workflow steps, matched last."""
    return path(f"{plural}/<int:pk>/<str:action>/", view.as_view(), name=f"{name}_transition")


urlpatterns = [
    *object_urls("agreements", "agreement", list=agreements.AgreementListView, create=agreements.AgreementCreateView),
    *object_urls("training", "training", list=training.TrainingListView, create=training.TrainingCreateView),
    *object_urls(
        "delegations",
        "delegation",
        list=delegations.DelegationListView,
        create=delegations.DelegationCreateView,
        extra=[("end/", delegations.DelegationEndView, "end")],
    ),
    *object_urls("users", "user", detail=people.UserDetailView),
    path("users/<int:pk>/second-factor/reset/", second_factor.ResetView.as_view(), name="second_factor_reset"),
    path("second-factor/enrol/", second_factor.EnrolView.as_view(), name="second_factor_enrol"),
    path("second-factor/verify/", second_factor.VerifyView.as_view(), name="second_factor_verify"),
    *object_urls(
        "systems",
        "system",
        list=people.SystemListView,
        detail=schemes.SystemDetailView,
        extra=[("schemes/new/", schemes.AccessSchemeProposeView, "scheme_propose")],
    ),
    *object_urls("schemes", "scheme", list=schemes.AccessSchemeListView, detail=schemes.AccessSchemeDetailView),
    transition("schemes", "scheme", schemes.AccessSchemeTransitionView),
    *object_urls("roles", "role_change", list=roles.RoleChangeListView, create=roles.RoleChangeCreateView),
    path("roles/conflicts/", roles.RoleConflictListView.as_view(), name="role_conflict_list"),
    *object_urls(
        "requests",
        "request",
        list=access.PermissionRequestListView,
        create=access.PermissionRequestCreateView,
        detail=access.PermissionRequestDetailView,
        pdf=access.PermissionRequestPdfView,
        history=access.PermissionRequestHistoryView,
    ),
    transition("requests", "request", access.PermissionRequestTransitionView),
    *object_urls("grants", "grant", list=access.GrantListView, extra=[("revoke/", access.GrantRevokeView, "revoke")]),
    *object_urls(
        "departures",
        "departure",
        list=departures.DepartureListView,
        create=departures.DepartureCreateView,
        detail=departures.DepartureDetailView,
        extra=[("network-handover/", departures.DepartureNetworkHandoverView, "network_handover")],
    ),
    transition("departures", "departure", departures.DepartureTransitionView),
    *object_urls(
        "network-requests",
        "network_request",
        list=network.NetworkRequestListView,
        create=network.NetworkRequestCreateView,
        detail=network.NetworkRequestDetailView,
    ),
    transition("network-requests", "network_request", network.NetworkRequestTransitionView),
    *object_urls(
        "privileged-accounts",
        "privileged_account",
        list=privileged.PrivilegedAccountListView,
        create=privileged.PrivilegedAccountCreateView,
        detail=privileged.PrivilegedAccountDetailView,
        edit=privileged.PrivilegedAccountEditView,
        history=privileged.PrivilegedAccountHistoryView,
        extra=[("rotation/", privileged.PrivilegedAccountRotationView, "rotation")],
    ),
    path(
        "privileged-accounts/<int:pk>/operations/new/",
        privileged.MajorOperationCreateView.as_view(),
        name="major_operation_create",
    ),
    *object_urls(
        "sensitive-queries",
        "sensitive_request",
        list=sensitive.SensitiveQueryRequestListView,
        create=sensitive.SensitiveQueryRequestCreateView,
        detail=sensitive.SensitiveQueryRequestDetailView,
    ),
    path("sensitive-queries/log/", sensitive.SensitiveQueryLogView.as_view(), name="sensitive_query_log"),
    path("sensitive-queries/log/new/", sensitive.SensitiveQueryLogCreateView.as_view(), name="sensitive_query_create"),
    path(
        "sensitive-queries/log/<int:pk>/review/",
        sensitive.SensitiveQueryReviewView.as_view(),
        name="sensitive_query_review",
    ),
    transition("sensitive-queries", "sensitive_request", sensitive.SensitiveQueryRequestTransitionView),
    *object_urls(
        "recertifications",
        "recertification",
        list=recertification.RecertificationListView,
        detail=recertification.RecertificationDetailView,
    ),
    path(
        "recertifications/items/<int:pk>/<str:decision>/",
        recertification.RecertificationDecideView.as_view(),
        name="recertification_decide",
    ),
]
