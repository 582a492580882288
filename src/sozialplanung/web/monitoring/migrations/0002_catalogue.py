from django.db import migrations

from sozialplanung.web.monitoring.catalogue import install_catalogue


def install(apps, schema_editor):
    install_catalogue(apps.get_model("monitoring", "Variable"), apps.get_model("monitoring", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
