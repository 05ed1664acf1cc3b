from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepairsConfig(AppConfig):
    name = "repairs"
    verbose_name = _("Repair tickets")

    def ready(self):
        from . import effects  # noqa: F401
