"""Vietnamese text folding: search that ignores diacritics and case, and URL slugs."""

import unicodedata

from django.utils.text import slugify


def fold(text: str) -> str:
    """Lowercase without diacritics: "Kiến Minh" -> "kien minh", "Đặc khu" -> "dac khu"."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def slugify_vi(text: str) -> str:
    """The name without diacritics, lowercased and hyphenated: "Xã Kiến Minh" -> "xa-kien-minh"."""
    return slugify(fold(text))
