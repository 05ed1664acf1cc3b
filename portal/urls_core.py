from django.urls import path

from .views import audit, core

app_name = "portal"

urlpatterns = [
    path("", core.dashboard, name="dashboard"),
    path("notifications/", core.notification_list, name="notifications"),
    path("notifications/read-all/", core.notification_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/open/", core.notification_open, name="notification_open"),
    path("attachments/<int:pk>/", core.attachment_download, name="attachment"),
    path("audit/", audit.SecurityEventListView.as_view(), name="security_events"),
]
