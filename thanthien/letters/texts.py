"""The texts of the letters: national defaults, each occasion's placeholders, rendering.

The national defaults live in data/default_templates.json, with an English translation
(`body_en`, `annex_en`). A commune's own copy (`LetterTemplate`) replaces the default for
that commune. Letters go to residents in Vietnamese whatever language the workspace is in:
the English text is shown beside the Vietnamese one on the template page, so that a reader of
English knows what the letter says (`TemplateText.body_for_language`).
"""

import json
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from thanthien.letters.models import LetterTemplate, Occasion

DEFAULTS_FILE = Path(__file__).resolve().parent / "data" / "default_templates.json"
BLANK = "…………"

# Every letter offers these; each occasion adds its own.
COMMON_PLACEHOLDERS = {
    "recipient": gettext_lazy("người nhận thư"),
    "recipient_address": gettext_lazy("địa chỉ người nhận"),
    "commune": gettext_lazy("tên xã"),
    "signer_name": gettext_lazy("họ tên người ký"),
    "signer_title": gettext_lazy("chức vụ người ký"),
    "letter_date": gettext_lazy("ngày viết thư"),
}
DOSSIER_PLACEHOLDERS = {
    "procedure": gettext_lazy("tên thủ tục"),
    "dossier_code": gettext_lazy("số hồ sơ"),
    "event_date": gettext_lazy("ngày đăng ký"),
}
OCCASION_PLACEHOLDERS = {
    Occasion.THANKS: {
        "contribution": gettext_lazy("việc đóng góp"),
        "event_date": gettext_lazy("ngày đóng góp"),
    },
    Occasion.APOLOGY: {
        "procedure": gettext_lazy("tên thủ tục"),
        "dossier_code": gettext_lazy("số hồ sơ"),
        "original_due_date": gettext_lazy("ngày hẹn trả ban đầu"),
        "new_due_date": gettext_lazy("ngày hẹn trả mới"),
        "reason": gettext_lazy("lý do chậm"),
    },
    Occasion.MARRIAGE: dict(DOSSIER_PLACEHOLDERS),
    Occasion.BIRTH: {**DOSSIER_PLACEHOLDERS, "child_name": gettext_lazy("tên của cháu")},
    Occasion.DEATH: {**DOSSIER_PLACEHOLDERS, "deceased_name": gettext_lazy("tên người mất")},
}

# Details a drafted letter cannot know from its dossier (the dossier names the applicant, not
# the child or the deceased): the leader fills them in before the letter can be approved.
REQUIRED_DETAILS = {
    Occasion.BIRTH: ("child_name",),
    Occasion.DEATH: ("deceased_name",),
}


def missing_details(occasion: str, details: dict) -> list[str]:
    """The required details of the occasion that the letter does not have yet."""
    return [key for key in REQUIRED_DETAILS.get(occasion, ()) if not details.get(key)]


# Values for the preview of a template.
SAMPLE_VALUES = {
    "recipient": "Nguyễn Văn An",
    "recipient_address": "Thôn Đông, đội 7",
    "signer_name": "Trần Văn Bình",
    "signer_title": "Chủ tịch UBND",
    "letter_date": "05/03/2025",
    "contribution": "đã ủng hộ 50.000.000 đ làm đường liên thôn",
    "event_date": "03/03/2025",
    "procedure": "Đăng ký kết hôn",
    "dossier_code": "H01.01-250303-0001",
    "original_due_date": "06/03/2025",
    "new_due_date": "10/03/2025",
    "reason": "cần xác minh thêm thông tin với nơi cư trú trước đây",
    "child_name": "Nguyễn Minh Khang",
    "deceased_name": "cụ Nguyễn Văn Hòa",
}


def allowed_placeholders(occasion: str) -> dict:
    return {**COMMON_PLACEHOLDERS, **OCCASION_PLACEHOLDERS[Occasion(occasion)]}


def allowed_text(occasion: str) -> str:
    return ", ".join(f"{{{name}}}" for name in allowed_placeholders(occasion))


def placeholders_in(text: str) -> list[str]:
    """Field names used in `text`; ValidationError when the braces are malformed."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ValidationError(
            _("Dấu ngoặc nhọn không khớp. Viết {tên_trường}, hoặc {{ và }} cho dấu ngoặc."),
            code="braces",
        ) from exc
    names = []
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        if spec or conversion or not field.isidentifier():
            raise ValidationError(
                _("Trường {%(field)s} không hợp lệ; chỉ viết {tên_trường}."),
                code="format_spec",
                params={"field": field},
            )
        names.append(field)
    return names


def _check(occasion: str, text: str) -> None:
    allowed = allowed_placeholders(occasion)
    for field in placeholders_in(text):
        if field not in allowed:
            raise ValidationError(
                _(
                    "Không có trường {%(field)s} cho loại thư này. "
                    "Các trường dùng được: %(allowed)s."
                ),
                code="unknown_placeholder",
                params={"field": field, "allowed": allowed_text(occasion)},
            )


def validate_template(*, occasion: str, title: str, body: str) -> None:
    """Refuse a title or body that uses a placeholder the occasion does not offer."""
    errors = {}
    if occasion not in Occasion.values:
        raise ValidationError({"occasion": _("Loại thư không hợp lệ.")})
    for field, text in (("title", title), ("body", body)):
        try:
            _check(occasion, text)
        except ValidationError as exc:
            errors[field] = exc.messages
    if not body.strip():
        errors.setdefault("body", []).append(_("Nội dung thư không được để trống."))
    if errors:
        raise ValidationError(errors)


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return BLANK


def render(text: str, values: dict) -> str:
    """Fill the placeholders; a value not known yet is left as a dotted blank to fill in."""
    filled = {k: str(v) for k, v in values.items() if v not in (None, "")}
    return string.Formatter().vformat(text, (), _Blank(filled)).strip()


@dataclass(frozen=True)
class TemplateText:
    occasion: str
    title: str
    body: str
    annex: str
    title_en: str = ""
    body_en: str = ""
    annex_en: str = ""
    is_default: bool = True

    def body_for_language(self, language: str | None = None) -> str:
        """The English translation for an English reader when there is one (defaults only)."""
        language = language or get_language() or ""
        if language.startswith("en") and self.is_default and self.body_en:
            return self.body_en
        return self.body


@cache
def default_templates() -> dict[str, TemplateText]:
    with DEFAULTS_FILE.open(encoding="utf-8") as fh:
        rows = json.load(fh)["templates"]
    return {
        row["occasion"]: TemplateText(
            occasion=row["occasion"],
            title=row["title"],
            body=row["body"],
            annex=row.get("annex", ""),
            title_en=row.get("title_en", ""),
            body_en=row.get("body_en", ""),
            annex_en=row.get("annex_en", ""),
        )
        for row in rows
    }


def template_for(*, commune_id: int, occasion: str) -> TemplateText:
    """The commune's own text for the occasion, or the national default."""
    own = LetterTemplate.objects.filter(commune_id=commune_id, occasion=occasion).first()
    default = default_templates()[occasion]
    if own is None:
        return default
    return TemplateText(
        occasion=occasion, title=own.title, body=own.body, annex=own.annex, is_default=False
    )
