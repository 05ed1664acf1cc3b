from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_page, name="report"),
    path("generate/", views.report_generate, name="generate"),
    path("export/<slug:section>/<slug:table>.<str:fmt>", views.table_export, name="export"),
    path("archive/", views.archive_list, name="archive"),
    path("archive/<int:pk>/", views.archive_detail, name="archive_detail"),
    path("archive/<int:pk>/progress/", views.archive_progress, name="archive_progress"),
    path("archive/<int:pk>/pdf/", views.archive_pdf, name="archive_pdf"),
]
