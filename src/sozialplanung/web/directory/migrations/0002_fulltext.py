from django.db import migrations

from sozialplanung.web.directory import fulltext


def create(apps, schema_editor):
    fulltext.create_index(schema_editor)


def drop(apps, schema_editor):
    fulltext.drop_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
