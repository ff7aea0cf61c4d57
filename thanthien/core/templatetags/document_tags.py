"""Template helpers for print pages of official documents (core/document_print.html)."""

from django import template
from django.utils.safestring import mark_safe

from thanthien.core.qr import qr_svg

register = template.Library()


@register.filter
def qr_code(url: str, title: str = "") -> str:
    """An inline SVG QR code for `url` (segno escapes the title it writes)."""
    return mark_safe(qr_svg(url, scale=4, title=title or None))  # noqa: S308
