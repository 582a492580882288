from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "sozialplanung.web.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        # Domain apps register their job kinds in a module named jobs.py.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("jobs")
