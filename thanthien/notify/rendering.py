"""Message text: which placeholders each event offers, validation, and rendering.

Bodies use `{name}` placeholders (Python format fields without format specs); `{{` and `}}`
write literal braces. A template may only use the placeholders of its event.
"""

import json
import string
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from thanthien.notify.sms import strip_diacritics

COMMON_PLACEHOLDERS = ("name", "commune", "code", "procedure", "lookup_url")
EVENT_PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "dossier_received": (*COMMON_PLACEHOLDERS, "due_date"),
    "dossier_supplement_requested": (*COMMON_PLACEHOLDERS, "reason", "due_date"),
    "dossier_result_ready": (*COMMON_PLACEHOLDERS, "due_date", "rating_url"),
    "dossier_rescheduled": (*COMMON_PLACEHOLDERS, "due_date", "new_due_date", "reason"),
    "dossier_refused": (*COMMON_PLACEHOLDERS, "reason"),
    # Staff warnings: {name} is the official's name, {dossier_url} the dossier's staff page.
    "staff_dossier_due_soon": (*COMMON_PLACEHOLDERS, "due_date", "dossier_url"),
    "staff_dossier_late": (*COMMON_PLACEHOLDERS, "due_date", "dossier_url"),
    # Feedback: {code} is the tracking code, {lookup_url} its public page.
    "feedback_acknowledged": ("name", "commune", "code", "lookup_url", "due_date"),
    "feedback_answered": ("name", "commune", "code", "lookup_url", "answer", "rating_url"),
    "feedback_redirected": ("name", "commune", "code", "lookup_url", "reason", "redirect_url"),
    "staff_feedback_due_soon": ("name", "commune", "code", "due_date", "item_url"),
    "staff_feedback_overdue": ("name", "commune", "code", "due_date", "item_url", "assignee"),
    "reception_booked": ("name", "commune", "code", "date", "time", "place", "host"),
    # {what} names the task ("Thụ lý đơn khiếu nại", "Cam kết sau đối thoại").
    "staff_deadline_due_soon": ("name", "commune", "code", "what", "due_date", "item_url"),
    "staff_deadline_overdue": ("name", "commune", "code", "what", "due_date", "item_url"),
}

# Shown in the template preview in the admin.
SAMPLE_CONTEXT = {
    "name": "Nguyễn Thị Lan",
    "commune": "UBND xã An Phú",
    "code": "000.00.25.H01-250612-0001",
    "procedure": "Đăng ký khai sinh",
    "due_date": "16/06/2025",
    "new_due_date": "19/06/2025",
    "reason": "cần xác minh thêm thông tin với nơi cư trú cũ",
    "lookup_url": "https://anphu.gov.vn/tra-cuu/",
    "rating_url": "https://anphu.gov.vn/danh-gia/?ma=000.00.25.H01-250612-0001&k=3f9a1c2b7d4e",
    "dossier_url": "https://anphu.gov.vn/staff/mot-cua/ho-so/1234/",
    "answer": "Xã đã cho sửa đèn chiếu sáng đoạn đường thôn Đông, xong ngày 12/06.",
    "redirect_url": "https://anphu.gov.vn/an-phu/thu-tuc/1.000001/",
    "item_url": "https://anphu.gov.vn/staff/gop-y/1234/",
    "assignee": "Trần Văn Minh",
    "what": "Giải quyết đơn khiếu nại",
    "date": "16/06/2025",
    "time": "08:00",
    "place": "Phòng tiếp công dân, trụ sở UBND xã",
    "host": "Chủ tịch UBND xã",
}

DEFAULTS_FILE = Path(__file__).resolve().parent / "data" / "default_templates.json"


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
        if spec or conversion:
            raise ValidationError(
                _("Trường {%(field)s} không được kèm định dạng; chỉ viết {%(field)s}."),
                code="format_spec",
                params={"field": field},
            )
        names.append(field)
    return names


def validate_template_text(*, event: str, text: str) -> None:
    """Refuse a placeholder the event does not offer, naming the ones it does."""
    allowed = EVENT_PLACEHOLDERS.get(event, COMMON_PLACEHOLDERS)
    for field in placeholders_in(text):
        if field not in allowed:
            raise ValidationError(
                _(
                    "Không có trường {%(field)s} cho loại thông báo này. "
                    "Các trường dùng được: %(allowed)s."
                ),
                code="unknown_placeholder",
                params={"field": field, "allowed": ", ".join(f"{{{a}}}" for a in allowed)},
            )


def render_text(text: str, context: dict, *, plain: bool = False) -> str:
    """Fill the placeholders (a missing value becomes empty); `plain` strips diacritics."""
    values = {key: "" if value is None else str(value) for key, value in context.items()}
    rendered = string.Formatter().vformat(text, (), _Blank(values)).strip()
    return strip_diacritics(rendered) if plain else rendered


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


@cache
def default_templates() -> tuple[dict, ...]:
    """The national defaults shipped in data/default_templates.json."""
    with DEFAULTS_FILE.open(encoding="utf-8") as fh:
        return tuple(json.load(fh))


def default_template(event: str, channel: str) -> dict | None:
    for item in default_templates():
        if item["event"] == event and item["channel"] == channel:
            return item
    return None
