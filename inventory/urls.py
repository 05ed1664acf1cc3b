from django.urls import path

from . import views, views_import

app_name = "inventory"

urlpatterns = [
    path("equipment/", views.EquipmentListView.as_view(), name="equipment_list"),
    path("equipment/new/", views.EquipmentCreateView.as_view(), name="equipment_create"),
    path("equipment/labels/pdf/", views.LabelSheetView.as_view(), name="equipment_labels"),
    path("equipment/asset/<str:asset_no>/", views.EquipmentByAssetView.as_view(), name="equipment_by_asset"),
    path("equipment/<int:pk>/", views.EquipmentDetailView.as_view(), name="equipment_detail"),
    path("equipment/<int:pk>/edit/", views.EquipmentEditView.as_view(), name="equipment_edit"),
    path("equipment/<int:pk>/history/", views.EquipmentHistoryView.as_view(), name="equipment_history"),
    path("equipment/<int:pk>/changes/new/", views.ConfigChangeCreateView.as_view(), name="change_create"),
    path("equipment/<int:pk>/<str:action>/", views.EquipmentActionView.as_view(), name="equipment_action"),
    path("racks/", views.RackListView.as_view(), name="rack_list"),
    path("racks/new/", views.RackCreateView.as_view(), name="rack_create"),
    path("racks/<int:pk>/", views.RackDetailView.as_view(), name="rack_detail"),
    path("racks/<int:pk>/edit/", views.RackEditView.as_view(), name="rack_edit"),
    path("changes/", views.ConfigChangeListView.as_view(), name="change_list"),
    path("changes/<int:pk>/", views.ConfigChangeDetailView.as_view(), name="change_detail"),
    path("changes/<int:pk>/<str:action>/", views.ConfigChangeActionView.as_view(), name="change_action"),
    path("loans/", views.SpareLoanListView.as_view(), name="loan_list"),
    path("loans/new/", views.SpareLoanCreateView.as_view(), name="loan_create"),
    path("loans/<int:pk>/", views.SpareLoanDetailView.as_view(), name="loan_detail"),
    path("loans/<int:pk>/return/", views.SpareLoanReturnView.as_view(), name="loan_return"),
    path("stocktakes/", views.StocktakeListView.as_view(), name="stocktake_list"),
    path("stocktakes/new/", views.StocktakeCreateView.as_view(), name="stocktake_create"),
    path("stocktakes/<int:pk>/", views.StocktakeDetailView.as_view(), name="stocktake_detail"),
    path("stocktakes/<int:pk>/scan/", views.StocktakeScanView.as_view(), name="stocktake_scan"),
    path("stocktakes/<int:pk>/pdf/", views.StocktakePdfView.as_view(), name="stocktake_pdf"),
    path("stocktakes/<int:pk>/<str:action>/", views.StocktakeActionView.as_view(), name="stocktake_action"),
    path("imports/", views_import.ImportListView.as_view(), name="import_list"),
    path("imports/new/", views_import.ImportUploadView.as_view(), name="import_upload"),
    path("imports/template/", views_import.ImportTemplateView.as_view(), name="import_template"),
    path("imports/<int:pk>/", views_import.ImportDetailView.as_view(), name="import_detail"),
    path("imports/<int:pk>/progress/", views_import.ImportProgressView.as_view(), name="import_progress"),
]
