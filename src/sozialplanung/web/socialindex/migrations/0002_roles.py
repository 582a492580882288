from django.db import migrations

from sozialplanung.web.accounts.roles import ensure_role_groups


def grant(apps, schema_editor):
    ensure_role_groups()


class Migration(migrations.Migration):
    dependencies = [("socialindex", "0001_initial"), ("accounts", "0001_role_groups")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
