from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("", views.TodayView.as_view(), name="today"),
    path("start/<int:template_pk>/", views.RoundStartView.as_view(), name="round_start"),
    path("start/<int:template_pk>/rooms/<int:room_pk>/", views.RoundStartView.as_view(), name="round_start_room"),
    path("rounds/", views.RoundListView.as_view(), name="round_list"),
    path("rounds/<int:pk>/", views.RoundDetailView.as_view(), name="round_detail"),
    path("rounds/<int:pk>/edit/", views.RoundFillView.as_view(), name="round_fill"),
    path("rounds/<int:pk>/correct/", views.RoundCorrectView.as_view(), name="round_correct"),
    path("rounds/<int:pk>/history/", views.RoundHistoryView.as_view(), name="round_history"),
    path("templates/", views.TemplateListView.as_view(), name="template_list"),
    path("templates/<int:pk>/", views.TemplateDetailView.as_view(), name="template_detail"),
    path("templates/<int:pk>/edit/", views.TemplateEditView.as_view(), name="template_edit"),
    path("rooms/", views.RoomListView.as_view(), name="room_list"),
    path("rooms/new/", views.RoomCreateView.as_view(), name="room_create"),
    path("rooms/<int:pk>/", views.RoomDetailView.as_view(), name="room_detail"),
    path("rooms/<int:pk>/edit/", views.RoomEditView.as_view(), name="room_edit"),
    path("rooms/<int:pk>/history/", views.RoomHistoryView.as_view(), name="room_history"),
    path("abnormalities/", views.AbnormalityListView.as_view(), name="abnormality_list"),
    path("abnormalities/<int:pk>/", views.AbnormalityDetailView.as_view(), name="abnormality_detail"),
    path("abnormalities/<int:pk>/close/", views.AbnormalityCloseView.as_view(), name="abnormality_close"),
    path("visits/", views.VisitListView.as_view(), name="visit_list"),
    path("visits/new/", views.VisitCreateView.as_view(), name="visit_create"),
    path("visits/<int:pk>/", views.VisitDetailView.as_view(), name="visit_detail"),
    path("visits/<int:pk>/history/", views.VisitHistoryView.as_view(), name="visit_history"),
    path("visits/<int:pk>/<str:action>/", views.VisitTransitionView.as_view(), name="visit_action"),
]
