from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Statistical reports")

    def ready(self):
        # The services enqueue generate_report by name, so the web process registers the tasks too.
        from . import tasks  # noqa: F401
