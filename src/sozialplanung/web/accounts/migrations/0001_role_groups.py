from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from sozialplanung.web.accounts.roles import sync_role_groups


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; roles need them now.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("areas", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
