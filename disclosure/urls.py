from django.urls import path

from portal.urlkit import object_urls

from . import views

app_name = "disclosure"

urlpatterns = [
    path("", views.DisclosureIndexView.as_view(), name="index"),
    *object_urls(
        "items",
        "item",
        list=views.ItemListView,
        create=views.ItemCreateView,
        detail=views.ItemDetailView,
        edit=views.ItemEditView,
        history=views.ItemHistoryView,
        action=views.ItemTransitionView,
    ),
    *object_urls(
        "requests",
        "request",
        list=views.RequestListView,
        create=views.RequestCreateView,
        detail=views.RequestDetailView,
        history=views.RequestHistoryView,
        action=views.RequestTransitionView,
    ),
    path("annual-report/<int:year>/pdf/", views.AnnualReportPdfView.as_view(), name="annual_report_pdf"),
]
