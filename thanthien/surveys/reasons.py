"""The reasons a resident may give for a low rating, kept as data (data/rating_reasons.json),
and the three groups of the code of conduct "4 xin, 4 luôn, 5 không" asked about."""

import json
from functools import cache
from pathlib import Path
from typing import NamedTuple

from django.utils.translation import get_language

REASONS_FILE = Path(__file__).resolve().parent / "data" / "rating_reasons.json"
CONDUCT_GROUPS = ("xin", "luon", "khong")
CONDUCT_ANSWERS = ("yes", "no")


class Reason(NamedTuple):
    code: str
    text: str
    text_en: str

    @property
    def label(self) -> str:
        return self.text_en if (get_language() or "vi").startswith("en") else self.text


@cache
def rating_reasons() -> tuple[Reason, ...]:
    data = json.loads(REASONS_FILE.read_text(encoding="utf-8"))
    return tuple(Reason(item["code"], item["text"], item["text_en"]) for item in data["reasons"])


def reason_codes() -> frozenset[str]:
    return frozenset(reason.code for reason in rating_reasons())
