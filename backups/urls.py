from django.urls import path

from . import views

app_name = "backups"

urlpatterns = [
    path("", views.BoardView.as_view(), name="board"),
    path("targets/", views.TargetListView.as_view(), name="target_list"),
    path("targets/new/", views.TargetCreateView.as_view(), name="target_create"),
    path("targets/<int:pk>/", views.TargetDetailView.as_view(), name="target_detail"),
    path("targets/<int:pk>/edit/", views.TargetEditView.as_view(), name="target_edit"),
    path("targets/<int:pk>/history/", views.TargetHistoryView.as_view(), name="target_history"),
    path(
        "targets/<int:pk>/<str:action>/",
        views.TargetPostView.as_view(),
        name="target_action",
    ),
    path("runs/", views.RunListView.as_view(), name="run_list"),
    path("runs/new/", views.RunCreateView.as_view(), name="run_create"),
    path("runs/<int:pk>/", views.RunDetailView.as_view(), name="run_detail"),
    path("api/runs/", views.record_run_endpoint, name="api_runs"),
    path("verifications/", views.VerificationListView.as_view(), name="verification_list"),
    path("verifications/new/", views.VerificationCreateView.as_view(), name="verification_create"),
    path("verifications/<int:pk>/", views.VerificationDetailView.as_view(), name="verification_detail"),
    path("media/", views.MediumListView.as_view(), name="medium_list"),
    path("media/new/", views.MediumCreateView.as_view(), name="medium_create"),
    path("media/<int:pk>/", views.MediumDetailView.as_view(), name="medium_detail"),
    path("media/<int:pk>/edit/", views.MediumEditView.as_view(), name="medium_edit"),
    path("custody/", views.CustodyListView.as_view(), name="custody_list"),
    path("custody/new/", views.CustodyCreateView.as_view(), name="custody_create"),
    path("custody/<int:pk>/", views.CustodyDetailView.as_view(), name="custody_detail"),
    path("custody/<int:pk>/<str:action>/", views.CustodyActionView.as_view(), name="custody_action"),
    path("stocktakes/", views.StocktakeListView.as_view(), name="stocktake_list"),
    path("stocktakes/new/", views.StocktakeCreateView.as_view(), name="stocktake_create"),
    path("stocktakes/<int:pk>/", views.StocktakeDetailView.as_view(), name="stocktake_detail"),
    path("stocktakes/<int:pk>/<str:action>/", views.StocktakeActionView.as_view(), name="stocktake_action"),
    path("operations/", views.OperationListView.as_view(), name="operation_list"),
    path("operations/new/", views.OperationCreateView.as_view(), name="operation_create"),
    path("operations/<int:pk>/", views.OperationDetailView.as_view(), name="operation_detail"),
    path("dba-handovers/", views.DbaHandoverListView.as_view(), name="dba_handover_list"),
    path("dba-handovers/new/", views.DbaHandoverCreateView.as_view(), name="dba_handover_create"),
    path("dba-handovers/<int:pk>/", views.DbaHandoverDetailView.as_view(), name="dba_handover_detail"),
]
