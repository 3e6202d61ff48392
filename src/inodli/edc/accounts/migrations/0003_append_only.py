"""Make this app's trail tables append-only in the database (see inodli.edc.core.triggers)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from inodli.edc.core.triggers import create_triggers

    create_triggers(schema_editor.connection, apps=["accounts"])


def backwards(apps, schema_editor):
    from inodli.edc.core.triggers import drop_triggers

    drop_triggers(schema_editor.connection, apps=["accounts"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_account_events"), ("core", "0002_audit_append_only")]

    operations = [migrations.RunPython(forwards, backwards)]
