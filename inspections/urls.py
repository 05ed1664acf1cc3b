from django.urls import path

from portal.urlkit import object_urls

from .views import abnormalities, removals, room_officers, rounds, setup, visits

app_name = "inspections"

urlpatterns = [
    path("", rounds.TodayView.as_view(), name="today"),
    path("start/<int:template_pk>/", rounds.RoundStartView.as_view(), name="round_start"),
    path("start/<int:template_pk>/rooms/<int:room_pk>/", rounds.RoundStartView.as_view(), name="round_start_room"),
    *object_urls(
        "rounds",
        "round",
        list=rounds.RoundListView,
        detail=rounds.RoundDetailView,
        history=rounds.RoundHistoryView,
        extra=[("edit/", rounds.RoundFillView, "fill"), ("correct/", rounds.RoundCorrectView, "correct")],
    ),
    *object_urls(
        "templates",
        "template",
        list=setup.TemplateListView,
        detail=setup.TemplateDetailView,
        edit=setup.TemplateEditView,
    ),
    *object_urls(
        "rooms",
        "room",
        list=setup.RoomListView,
        create=setup.RoomCreateView,
        detail=setup.RoomDetailView,
        edit=setup.RoomEditView,
        history=setup.RoomHistoryView,
        extra=[("officers/", room_officers.RoomOfficerView, "officers")],
    ),
    *object_urls(
        "abnormalities",
        "abnormality",
        list=abnormalities.AbnormalityListView,
        detail=abnormalities.AbnormalityDetailView,
        extra=[("close/", abnormalities.AbnormalityCloseView, "close")],
    ),
    *object_urls(
        "visits",
        "visit",
        list=visits.VisitListView,
        create=visits.VisitCreateView,
        detail=visits.VisitDetailView,
        history=visits.VisitHistoryView,
        action=visits.VisitTransitionView,
    ),
    *object_urls(
        "removals",
        "removal",
        list=removals.ItemRemovalListView,
        create=removals.ItemRemovalCreateView,
        detail=removals.ItemRemovalDetailView,
        history=removals.ItemRemovalHistoryView,
        action=removals.ItemRemovalTransitionView,
    ),
]
