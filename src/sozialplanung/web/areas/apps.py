from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "sozialplanung.web.areas"
    label = "areas"
    verbose_name = _("Areas")

    def ready(self) -> None:
        from sozialplanung.web import memo

        memo.connect_signals()
