from django.urls import path

from portal.urlkit import object_urls

from . import vendor_views, views

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
    path("vendors/", vendor_views.VendorListView.as_view(), name="vendor_list"),
    path("vendors/new/", vendor_views.VendorCreateView.as_view(), name="vendor_create"),
    path("vendors/<int:pk>/", vendor_views.VendorDetailView.as_view(), name="vendor_detail"),
    path("vendors/<int:pk>/edit/", vendor_views.VendorEditView.as_view(), name="vendor_edit"),
    path("vendors/<int:pk>/engineers/new/", vendor_views.EngineerRegisterView.as_view(), name="engineer_create"),
    path(
        "vendor-engineers/<int:pk>/deactivate/",
        vendor_views.EngineerDeactivateView.as_view(),
        name="engineer_deactivate",
    ),
    # The vendor engineer's own pages: the tickets sent to their company.
    path("attended/", vendor_views.AttendedListView.as_view(), name="attended_list"),
    path("attended/<int:pk>/", vendor_views.AttendedTicketView.as_view(), name="attended_ticket"),
    path("attended/<int:pk>/note/", vendor_views.AttendedNoteView.as_view(), name="attended_note"),
]
