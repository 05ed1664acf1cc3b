from django.urls import path

from portal.urlkit import object_urls

from . import views, views_import, views_labels, views_reconciliation

app_name = "inventory"

urlpatterns = [
    path("equipment/labels/pdf/", views_labels.LabelSheetView.as_view(), name="equipment_labels"),
    *object_urls(
        "label-sheets",
        "label_sheet",
        detail=views_labels.LabelSheetDetailView,
        pdf=views_labels.LabelSheetFileView,
        extra=[("progress/", views_labels.LabelSheetProgressView, "progress")],
    ),
    path("equipment/asset/<str:asset_no>/", views.EquipmentByAssetView.as_view(), name="equipment_by_asset"),
    path("equipment/<int:pk>/changes/new/", views.ConfigChangeCreateView.as_view(), name="change_create"),
    *object_urls(
        "equipment",
        "equipment",
        list=views.EquipmentListView,
        create=views.EquipmentCreateView,
        detail=views.EquipmentDetailView,
        edit=views.EquipmentEditView,
        history=views.EquipmentHistoryView,
        action=views.EquipmentActionView,
    ),
    *object_urls(
        "racks",
        "rack",
        list=views.RackListView,
        create=views.RackCreateView,
        detail=views.RackDetailView,
        edit=views.RackEditView,
    ),
    *object_urls(
        "changes",
        "change",
        list=views.ConfigChangeListView,
        detail=views.ConfigChangeDetailView,
        action=views.ConfigChangeActionView,
    ),
    *object_urls(
        "loans",
        "loan",
        list=views.SpareLoanListView,
        create=views.SpareLoanCreateView,
        detail=views.SpareLoanDetailView,
        extra=[("return/", views.SpareLoanReturnView, "return")],
    ),
    path("stocktakes/schedule/", views_reconciliation.StocktakeScheduleView.as_view(), name="stocktake_schedule"),
    *object_urls(
        "stocktakes",
        "stocktake",
        list=views.StocktakeListView,
        create=views.StocktakeCreateView,
        detail=views.StocktakeDetailView,
        pdf=views.StocktakePdfView,
        extra=[("scan/", views.StocktakeScanView, "scan")],
        action=views.StocktakeActionView,
    ),
    path("imports/new/", views_import.ImportUploadView.as_view(), name="import_upload"),
    path("imports/template/", views_import.ImportTemplateView.as_view(), name="import_template"),
    *object_urls(
        "imports",
        "import",
        list=views_import.ImportListView,
        detail=views_import.ImportDetailView,
        extra=[("progress/", views_import.ImportProgressView, "progress")],
    ),
]
