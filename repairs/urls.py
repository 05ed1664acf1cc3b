from django.urls import path

from . import views

app_name = "repairs"

urlpatterns = [
    path("tickets/", views.TicketListView.as_view(), name="ticket_list"),
    path("tickets/new/", views.TicketCreateView.as_view(), name="ticket_create"),
    path("tickets/<int:pk>/", views.TicketDetailView.as_view(), name="ticket_detail"),
    path("tickets/<int:pk>/pdf/", views.TicketPdfView.as_view(), name="ticket_pdf"),
    path("tickets/<int:pk>/tag/pdf/", views.TicketTagPdfView.as_view(), name="ticket_tag_pdf"),
    path("tickets/<int:pk>/history/", views.TicketHistoryView.as_view(), name="ticket_history"),
    path("tickets/<int:pk>/wait_parts/", views.WaitPartsView.as_view(), name="ticket_wait_parts"),
    path("tickets/<int:pk>/lend-spare/", views.LendSpareView.as_view(), name="ticket_lend_spare"),
    path("tickets/<int:pk>/return-spare/", views.ReturnSpareView.as_view(), name="ticket_return_spare"),
    path("tickets/<int:pk>/failure-report/", views.FailureReportView.as_view(), name="ticket_failure_report"),
    path("tickets/<int:pk>/<str:action>/", views.TicketActionView.as_view(), name="ticket_action"),
    path("settings/", views.RepairSettingsView.as_view(), name="settings"),
]
