"""The one row of policy settings, with the defaults from Hof van Twente and Deventer."""

from django.db import migrations


def create(apps, schema_editor):
    apps.get_model("casework", "PolicySettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("casework", "0003_policysettings_notification")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
