"""Admin of feedback handling: the commune's reply templates (mẫu trả lời) per category.

Officials pick a template on the answer form of an item of that category and adapt it; the
placeholders {name}, {code}, {received_date}, {commune}, {office} are filled from the item.
"""

import string

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from thanthien.core.admin import CommuneScopedAdmin
from thanthien.feedback.categories import category_choices, category_label
from thanthien.feedback.items import ReplyTemplate

PLACEHOLDERS = ("name", "code", "received_date", "commune", "office")


class ReplyTemplateForm(forms.ModelForm):
    category = forms.ChoiceField(label=_("lĩnh vực"), required=False)

    class Meta:
        model = ReplyTemplate
        fields = ("commune", "category", "title", "body", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Mọi lĩnh vực")), *category_choices()]

    def clean_body(self):
        body = self.cleaned_data["body"]
        try:
            names = [f for _lit, f, _spec, _conv in string.Formatter().parse(body) if f is not None]
        except ValueError as exc:
            raise ValidationError(
                _("Dấu ngoặc nhọn không khớp. Viết {tên_trường}, hoặc {{ và }} cho dấu ngoặc.")
            ) from exc
        unknown = sorted({n for n in names if n not in PLACEHOLDERS})
        if unknown:
            raise ValidationError(
                _("Không có trường %(fields)s. Chỉ dùng: %(allowed)s.")
                % {
                    "fields": ", ".join(f"{{{n}}}" for n in unknown),
                    "allowed": ", ".join(f"{{{n}}}" for n in PLACEHOLDERS),
                }
            )
        return body


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(CommuneScopedAdmin):
    form = ReplyTemplateForm
    list_display = ("title", "category_name", "is_active", "commune")
    list_filter = ("is_active", "category")
    search_fields = ("title", "body")

    @admin.display(description=_("lĩnh vực"), ordering="category")
    def category_name(self, obj):
        return category_label(obj.category) if obj.category else _("Mọi lĩnh vực")
