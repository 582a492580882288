from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sozialplanung.web.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        # Keep the role groups in step with ROLE_PERMISSIONS after every migrate (and test flush).
        from django.apps import apps
        from django.db.models.signals import post_migrate

        from .roles import sync_role_groups

        post_migrate.connect(lambda **kwargs: sync_role_groups(apps), weak=False)
