"""National default message templates from data/default_templates.json."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "default_templates.json"


def load(apps, schema_editor):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for item in json.loads(DATA.read_text(encoding="utf-8")):
        MessageTemplate.objects.get_or_create(
            commune=None,
            event=item["event"],
            channel=item["channel"],
            defaults={
                "subject": item.get("subject", ""),
                "body": item["body"],
                "strip_diacritics": item.get("strip_diacritics", False),
                "zalo_template_id": item.get("zalo_template_id", ""),
            },
        )


def unload(apps, schema_editor):
    apps.get_model("notify", "MessageTemplate").objects.filter(commune=None).delete()


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
