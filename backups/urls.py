from django.urls import path

from portal.urlkit import object_urls

from .views import handovers, media, operations, runs, targets, verifications, waivers

app_name = "backups"

urlpatterns = [
    path("", targets.BoardView.as_view(), name="board"),
    *object_urls(
        "targets",
        "target",
        list=targets.TargetListView,
        create=targets.TargetCreateView,
        detail=targets.TargetDetailView,
        edit=targets.TargetEditView,
        history=targets.TargetHistoryView,
        extra=[("offsite-waiver/", waivers.OffsiteWaiverRequestView, "offsite_waiver")],
        action=targets.TargetActionView,
    ),
    *object_urls(
        "offsite-waivers",
        "offsite_waiver",
        list=waivers.OffsiteWaiverListView,
        detail=waivers.OffsiteWaiverDetailView,
        action=waivers.OffsiteWaiverActionView,
    ),
    *object_urls("runs", "run", list=runs.RunListView, create=runs.RunCreateView, detail=runs.RunDetailView),
    path("api/runs/", runs.record_run_endpoint, name="api_runs"),
    *object_urls(
        "verifications",
        "verification",
        list=verifications.VerificationListView,
        create=verifications.VerificationCreateView,
        detail=verifications.VerificationDetailView,
    ),
    *object_urls(
        "media",
        "medium",
        list=media.MediumListView,
        create=media.MediumCreateView,
        detail=media.MediumDetailView,
        edit=media.MediumEditView,
    ),
    *object_urls(
        "custody",
        "custody",
        list=media.CustodyListView,
        create=media.CustodyCreateView,
        detail=media.CustodyDetailView,
        action=media.CustodyActionView,
    ),
    *object_urls(
        "stocktakes",
        "stocktake",
        list=media.StocktakeListView,
        create=media.StocktakeCreateView,
        detail=media.StocktakeDetailView,
        extra=[("count/", media.StocktakeCountView, "count")],
        action=media.StocktakeActionView,
    ),
    *object_urls(
        "operations",
        "operation",
        list=operations.OperationListView,
        create=operations.OperationCreateView,
        detail=operations.OperationDetailView,
    ),
    *object_urls(
        "dba-handovers",
        "dba_handover",
        list=handovers.DbaHandoverListView,
        create=handovers.DbaHandoverCreateView,
        detail=handovers.DbaHandoverDetailView,
        extra=[("link/", handovers.DbaHandoverLinkView, "link")],
    ),
]
