from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("systems/", views.SystemListView.as_view(), name="system_list"),
    path("requests/", views.PermissionRequestListView.as_view(), name="request_list"),
    path("requests/new/", views.PermissionRequestCreateView.as_view(), name="request_create"),
    path("requests/<int:pk>/", views.PermissionRequestDetailView.as_view(), name="request_detail"),
    path("requests/<int:pk>/pdf/", views.PermissionRequestPdfView.as_view(), name="request_pdf"),
    path("requests/<int:pk>/history/", views.PermissionRequestHistoryView.as_view(), name="request_history"),
    path("requests/<int:pk>/<str:action>/", views.PermissionRequestTransitionView.as_view(), name="request_transition"),
    path("grants/", views.GrantListView.as_view(), name="grant_list"),
    path("grants/<int:pk>/revoke/", views.GrantRevokeView.as_view(), name="grant_revoke"),
    path("departures/", views.DepartureListView.as_view(), name="departure_list"),
    path("departures/new/", views.DepartureCreateView.as_view(), name="departure_create"),
    path("departures/<int:pk>/", views.DepartureDetailView.as_view(), name="departure_detail"),
    path(
        "departures/<int:pk>/network-handover/",
        views.DepartureNetworkHandoverView.as_view(),
        name="departure_network_handover",
    ),
    path("departures/<int:pk>/<str:action>/", views.DepartureTransitionView.as_view(), name="departure_transition"),
    path("network-requests/", views.NetworkRequestListView.as_view(), name="network_request_list"),
    path("network-requests/new/", views.NetworkRequestCreateView.as_view(), name="network_request_create"),
    path("network-requests/<int:pk>/", views.NetworkRequestDetailView.as_view(), name="network_request_detail"),
    path(
        "network-requests/<int:pk>/<str:action>/",
        views.NetworkRequestTransitionView.as_view(),
        name="network_request_transition",
    ),
    path("privileged-accounts/", views.PrivilegedAccountListView.as_view(), name="privileged_account_list"),
    path("privileged-accounts/new/", views.PrivilegedAccountCreateView.as_view(), name="privileged_account_create"),
    path(
        "privileged-accounts/<int:pk>/", views.PrivilegedAccountDetailView.as_view(), name="privileged_account_detail"
    ),
    path(
        "privileged-accounts/<int:pk>/edit/", views.PrivilegedAccountEditView.as_view(), name="privileged_account_edit"
    ),
    path(
        "privileged-accounts/<int:pk>/history/",
        views.PrivilegedAccountHistoryView.as_view(),
        name="privileged_account_history",
    ),
    path(
        "privileged-accounts/<int:pk>/rotation/",
        views.PrivilegedAccountRotationView.as_view(),
        name="privileged_account_rotation",
    ),
    path(
        "privileged-accounts/<int:pk>/operations/new/",
        views.MajorOperationCreateView.as_view(),
        name="major_operation_create",
    ),
    path("sensitive-queries/", views.SensitiveQueryRequestListView.as_view(), name="sensitive_request_list"),
    path("sensitive-queries/new/", views.SensitiveQueryRequestCreateView.as_view(), name="sensitive_request_create"),
    path("sensitive-queries/log/", views.SensitiveQueryLogView.as_view(), name="sensitive_query_log"),
    path("sensitive-queries/log/new/", views.SensitiveQueryLogCreateView.as_view(), name="sensitive_query_create"),
    path(
        "sensitive-queries/log/<int:pk>/review/",
        views.SensitiveQueryReviewView.as_view(),
        name="sensitive_query_review",
    ),
    path(
        "sensitive-queries/<int:pk>/", views.SensitiveQueryRequestDetailView.as_view(), name="sensitive_request_detail"
    ),
    path(
        "sensitive-queries/<int:pk>/<str:action>/",
        views.SensitiveQueryRequestTransitionView.as_view(),
        name="sensitive_request_transition",
    ),
    path("recertifications/", views.RecertificationListView.as_view(), name="recertification_list"),
    path("recertifications/<int:pk>/", views.RecertificationDetailView.as_view(), name="recertification_detail"),
    path(
        "recertifications/items/<int:pk>/<str:decision>/",
        views.RecertificationDecideView.as_view(),
        name="recertification_decide",
    ),
]
