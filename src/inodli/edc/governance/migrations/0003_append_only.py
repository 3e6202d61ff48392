"""Make this app's trail tables append-only in the database (see inodli.edc.core.triggers)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from inodli.edc.core.triggers import create_triggers

    create_triggers(schema_editor.connection, apps=["governance"])


def backwards(apps, schema_editor):
    from inodli.edc.core.triggers import drop_triggers

    drop_triggers(schema_editor.connection, apps=["governance"])


class Migration(migrations.Migration):
    dependencies = [("governance", "0002_import_run"), ("core", "0002_audit_append_only")]

    operations = [migrations.RunPython(forwards, backwards)]
