from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sozialplanung.web.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        # Keep the role groups in step with ROLE_PERMISSIONS after every migrate (and test flush).
        # Django sends post_migrate once per app with models; act on the last one only.
        from django.apps import apps
        from django.db.models.signals import post_migrate

        from .roles import ensure_role_groups

        def after_migrate(app_config, **kwargs) -> None:
            with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
            if app_config is with_models[-1]:
                ensure_role_groups()

        post_migrate.connect(after_migrate, weak=False, dispatch_uid="sozialplanung-roles")
