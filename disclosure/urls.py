from django.urls import path

from . import views

app_name = "disclosure"

urlpatterns = [
    path("", views.DisclosureIndexView.as_view(), name="index"),
    path("items/", views.ItemListView.as_view(), name="item_list"),
    path("items/new/", views.ItemCreateView.as_view(), name="item_create"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("items/<int:pk>/edit/", views.ItemEditView.as_view(), name="item_edit"),
    path("items/<int:pk>/history/", views.ItemHistoryView.as_view(), name="item_history"),
    path("items/<int:pk>/<str:action>/", views.ItemTransitionView.as_view(), name="item_action"),
    path("requests/", views.RequestListView.as_view(), name="request_list"),
    path("requests/new/", views.RequestCreateView.as_view(), name="request_create"),
    path("requests/<int:pk>/", views.RequestDetailView.as_view(), name="request_detail"),
    path("requests/<int:pk>/history/", views.RequestHistoryView.as_view(), name="request_history"),
    path("requests/<int:pk>/<str:action>/", views.RequestTransitionView.as_view(), name="request_action"),
    path("annual-report/<int:year>/pdf/", views.AnnualReportPdfView.as_view(), name="annual_report_pdf"),
]
