from django.db import migrations


def load(apps, schema_editor):
    from thanthien.people.reference_data import sync_positions

    sync_positions(apps.get_model("people", "Position"))


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
