from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from portal.views.core import healthz

urlpatterns = [
    path("", include("portal.urls_core")),
    path("login/", account_views.PortalLoginView.as_view(), name="login"),
    path("logout/", account_views.PortalLogoutView.as_view(), name="logout"),
    path("password/", account_views.PortalPasswordChangeView.as_view(), name="password_change"),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("inventory/", include("inventory.urls")),
    path("repairs/", include("repairs.urls")),
    path("inspections/", include("inspections.urls")),
    path("backups/", include("backups.urls")),
    path("disclosure/", include("disclosure.urls")),
    path("emergency/", include("emergency.urls")),
    path("public/", include("disclosure.public_urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "portal.views.errors.permission_denied"
