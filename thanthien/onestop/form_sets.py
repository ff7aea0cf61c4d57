"""The sets of printed desk forms (TT 01/2018/TT-VPCP, TT 03/2025/TT-VPCP) read from data.

Titles, form numbers and paper live in onestop/data/desk_forms.json, not in code: the 2025
set renamed and renumbered some forms and DOMAIN.md rates it medium-low confidence. The set
in use is the setting THANTHIEN_DESK_FORM_SET.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language
from django.utils.translation import gettext as _

DATA_FILE = Path(__file__).resolve().parent / "data" / "desk_forms.json"
SLIP_KEYS = ("receipt", "supplement", "refusal", "apology", "control", "register")
PAPERS = ("A4", "A5")


def _english() -> bool:
    return (get_language() or "vi").split("-")[0] == "en"


@dataclass(frozen=True)
class DeskForm:
    """One printed form: its number in the set, title and paper."""

    key: str
    number: str
    title_vi: str
    title_en: str
    paper: str
    landscape: bool
    symbol: str
    printable: bool

    @property
    def title(self) -> str:
        return self.title_en if _english() and self.title_en else self.title_vi


@dataclass(frozen=True)
class DeskFormSet:
    """The forms of one circular, keyed by what each is for (receipt, apology…)."""

    key: str
    legal_basis_vi: str
    legal_basis_en: str
    decree: str
    confidence: str
    source: str
    desk_name_vi: str
    desk_name_en: str
    desk_short_name_vi: str
    desk_short_name_en: str
    forms: dict[str, DeskForm]

    @property
    def legal_basis(self) -> str:
        return self.legal_basis_en if _english() and self.legal_basis_en else self.legal_basis_vi

    @property
    def desk_name(self) -> str:
        """The desk's name in this set's era (a "Trung tâm" since ND 118/2025)."""
        return self.desk_name_en if _english() and self.desk_name_en else self.desk_name_vi

    @property
    def desk_short_name(self) -> str:
        """ "Bộ phận Một cửa": the common name (ND 61/2018, ND 118/2025), for tight cells."""
        if _english() and self.desk_short_name_en:
            return self.desk_short_name_en
        return self.desk_short_name_vi or self.desk_name

    def form(self, key: str) -> DeskForm:
        try:
            return self.forms[key]
        except KeyError:
            raise KeyError(f"the desk form set {self.key} has no form {key!r}") from None

    def reference(self, key: str) -> str:
        """ "Mẫu số 01 – Thông tư 01/2018/TT-VPCP": the line printed above a form."""
        return _("Mẫu số %(number)s – %(basis)s") % {
            "number": self.form(key).number,
            "basis": self.legal_basis,
        }


def _form(raw: dict) -> DeskForm:
    if raw["paper"] not in PAPERS or raw["orientation"] not in ("portrait", "landscape"):
        raise ImproperlyConfigured(f"{DATA_FILE}: bad paper for form {raw['key']}")
    return DeskForm(
        key=raw["key"],
        number=raw["number"],
        title_vi=raw["title"],
        title_en=raw.get("title_en", ""),
        paper=raw["paper"],
        landscape=raw["orientation"] == "landscape",
        symbol=raw.get("symbol", ""),
        printable=raw.get("printable", True),
    )


@cache
def all_sets() -> dict[str, DeskFormSet]:
    """Every set in the data file (read once per process)."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    sets = {}
    for raw in data["sets"]:
        forms = {form["key"]: _form(form) for form in raw["forms"]}
        missing = [key for key in SLIP_KEYS if key not in forms or not forms[key].printable]
        if missing:
            raise ImproperlyConfigured(f"{DATA_FILE}: set {raw['key']} lacks forms {missing}")
        sets[raw["key"]] = DeskFormSet(
            key=raw["key"],
            legal_basis_vi=raw["legal_basis"],
            legal_basis_en=raw.get("legal_basis_en", ""),
            decree=raw.get("decree", ""),
            confidence=raw["confidence"],
            source=raw.get("source", ""),
            desk_name_vi=raw["desk_name"],
            desk_name_en=raw.get("desk_name_en", ""),
            desk_short_name_vi=raw.get("desk_short_name", ""),
            desk_short_name_en=raw.get("desk_short_name_en", ""),
            forms=forms,
        )
    return sets


def current_set() -> DeskFormSet:
    """The set named by settings.THANTHIEN_DESK_FORM_SET."""
    key = settings.THANTHIEN_DESK_FORM_SET
    try:
        return all_sets()[key]
    except KeyError:
        raise ImproperlyConfigured(
            f"THANTHIEN_DESK_FORM_SET={key!r}: choose one of {sorted(all_sets())}"
        ) from None


def desk_form(key: str) -> DeskForm:
    """A form of the set in use (receipt, supplement, refusal, apology, control, register)."""
    return current_set().form(key)
