"""Make core_auditevent append-only in the database (see inodli.edc.core.triggers)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from inodli.edc.core.triggers import create_triggers

    create_triggers(schema_editor.connection, apps=["core"])


def backwards(apps, schema_editor):
    from inodli.edc.core.triggers import drop_triggers

    drop_triggers(schema_editor.connection, apps=["core"])


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
