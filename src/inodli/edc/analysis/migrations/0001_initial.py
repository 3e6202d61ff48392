"""The analysis app stores nothing: its pages read the captured data of the other apps.

This empty first migration is what makes the app join INSTALLED_APPS (see settings.py).
"""

from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []
    operations: list[migrations.operations.base.Operation] = []
