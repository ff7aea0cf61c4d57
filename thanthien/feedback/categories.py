"""Feedback categories (lĩnh vực) as data, and the response deadline of each.

The list lives in data/categories.json; the deadlines in settings
(THANTHIEN_FEEDBACK_RESPONSE_WORKING_DAYS), because the rules change and a province may set
its own.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language

DATA_FILE = Path(__file__).resolve().parent / "data" / "categories.json"


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    name_en: str
    description: str = ""
    out_of_scope_hint: str = ""

    @property
    def label(self) -> str:
        """The name in the active language (English when the page is in English)."""
        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    @property
    def response_working_days(self) -> int:
        return response_working_days(self.code)


@cache
def categories() -> tuple[Category, ...]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return tuple(Category(**row) for row in json.load(handle))


def category(code: str) -> Category | None:
    return next((c for c in categories() if c.code == code), None)


def category_choices() -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in categories()]


def category_label(code: str) -> str:
    found = category(code)
    return found.label if found else code


def response_working_days(code: str) -> int:
    """Working days to answer an item of this category (setting; default 10)."""
    table = settings.THANTHIEN_FEEDBACK_RESPONSE_WORKING_DAYS
    return int(table.get(code, table.get("default", 10)))
