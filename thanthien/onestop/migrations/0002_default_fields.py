from django.db import migrations


def load(apps, schema_editor):
    from thanthien.onestop.reference_data import sync_fields

    sync_fields(apps.get_model("onestop", "ProcedureField"))


class Migration(migrations.Migration):
    dependencies = [("onestop", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
