from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.PublicItemListView.as_view(), name="index"),
    path("<int:pk>/", views.PublicItemDetailView.as_view(), name="item"),
    path("feed/", views.LatestItemsFeed(), name="feed"),
]
