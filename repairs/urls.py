from django.urls import path

from portal.urlkit import object_urls

from . import views

app_name = "repairs"

urlpatterns = [
    *object_urls(
        "tickets",
        "ticket",
        list=views.TicketListView,
        create=views.TicketCreateView,
        detail=views.TicketDetailView,
        pdf=views.TicketPdfView,
        history=views.TicketHistoryView,
        extra=(
            ("tag/pdf/", views.TicketTagPdfView, "tag_pdf"),
            ("wait_parts/", views.WaitPartsView, "wait_parts"),
            ("lend-spare/", views.LendSpareView, "lend_spare"),
            ("return-spare/", views.ReturnSpareView, "return_spare"),
            ("keep-spare/", views.KeepSpareView, "keep_spare"),
            ("failure-report/", views.FailureReportView, "failure_report"),
        ),
        action=views.TicketActionView,
    ),
    path("settings/", views.RepairSettingsView.as_view(), name="settings"),
]
