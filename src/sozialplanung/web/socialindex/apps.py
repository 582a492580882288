from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialIndexConfig(AppConfig):
    name = "sozialplanung.web.socialindex"
    label = "socialindex"
    verbose_name = _("Social index")
