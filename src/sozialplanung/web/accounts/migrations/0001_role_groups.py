from django.db import migrations

from sozialplanung.web.accounts.roles import ensure_role_groups


def create_role_groups(apps, schema_editor):
    # The role table names current permissions, so this uses the live models, not historical ones.
    ensure_role_groups()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("areas", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
