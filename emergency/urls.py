from django.urls import path

from portal.urlkit import object_urls

from . import views

app_name = "emergency"

urlpatterns = [
    path("", views.DrillPlanListView.as_view(), name="index"),
    *object_urls(
        "plans",
        "plan",
        list=views.DrillPlanListView,
        create=views.DrillPlanCreateView,
        detail=views.DrillPlanDetailView,
        edit=views.DrillPlanEditView,
        history=views.DrillPlanHistoryView,
        extra=[("record/", views.DrillRecordCreateView, "record")],
    ),
    *object_urls("drills", "drill", list=views.DrillRecordListView, detail=views.DrillRecordDetailView),
    *object_urls(
        "incidents",
        "incident",
        list=views.SecurityIncidentListView,
        create=views.SecurityIncidentCreateView,
        detail=views.SecurityIncidentDetailView,
        history=views.SecurityIncidentHistoryView,
        pdf=views.SecurityIncidentPdfView,
        action=views.SecurityIncidentActionView,
    ),
]
