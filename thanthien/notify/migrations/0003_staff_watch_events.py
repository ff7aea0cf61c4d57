"""Staff warnings of the daily overdue watch: two events and their national default texts."""

import json
from pathlib import Path

from django.db import migrations, models

DATA = Path(__file__).resolve().parent.parent / "data" / "default_templates.json"
EVENTS = ("staff_dossier_due_soon", "staff_dossier_late")


def load(apps, schema_editor):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for item in json.loads(DATA.read_text(encoding="utf-8")):
        if item["event"] not in EVENTS:
            continue
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
    apps.get_model("notify", "MessageTemplate").objects.filter(
        commune=None, event__in=EVENTS
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('notify', '0002_national_default_templates'),
    ]

    operations = [
        migrations.AlterField(
            model_name='message',
            name='event',
            field=models.CharField(choices=[('dossier_received', 'Đã tiếp nhận hồ sơ'), ('dossier_supplement_requested', 'Yêu cầu bổ sung hồ sơ'), ('dossier_result_ready', 'Hồ sơ đã có kết quả'), ('dossier_rescheduled', 'Xin lỗi và hẹn lại ngày trả'), ('dossier_refused', 'Hồ sơ không được giải quyết'), ('staff_dossier_due_soon', 'Báo cán bộ: hồ sơ sắp đến hạn trả'), ('staff_dossier_late', 'Báo cán bộ: hồ sơ đã quá hạn')], max_length=40, verbose_name='sự kiện'),
        ),
        migrations.AlterField(
            model_name='messagetemplate',
            name='event',
            field=models.CharField(choices=[('dossier_received', 'Đã tiếp nhận hồ sơ'), ('dossier_supplement_requested', 'Yêu cầu bổ sung hồ sơ'), ('dossier_result_ready', 'Hồ sơ đã có kết quả'), ('dossier_rescheduled', 'Xin lỗi và hẹn lại ngày trả'), ('dossier_refused', 'Hồ sơ không được giải quyết'), ('staff_dossier_due_soon', 'Báo cán bộ: hồ sơ sắp đến hạn trả'), ('staff_dossier_late', 'Báo cán bộ: hồ sơ đã quá hạn')], max_length=40, verbose_name='sự kiện'),
        ),
        migrations.RunPython(load, unload),
    ]
