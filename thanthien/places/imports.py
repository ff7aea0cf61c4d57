"""Reading a hamlet list from an XLSX or CSV file into checked rows.

Nothing here writes to the database: `services.hamlets_import` does that with the rows.
"""

from dataclasses import dataclass
from functools import cache
from typing import BinaryIO

from django.utils import translation
from django.utils.translation import gettext as _

from thanthien.core.tabular import (
    ImportFileError,
    RowError,
    cell_text,
    column_getter,
    data_rows,
    find_header,
    parse_count,
    read_table,
)
from thanthien.core.text import fold
from thanthien.places.models import Hamlet

MAX_DATA_ROWS = 5000
NAME_MAX = Hamlet._meta.get_field("name").max_length
HEAD_MAX = Hamlet._meta.get_field("head_name").max_length

# Header text, folded and stripped of punctuation -> column. Vietnamese and English.
HEADERS = {
    "name": {
        "ten",
        "ten thon",
        "ten thon xom",
        "ten thon to",
        "ten thon to dan pho",
        "ten thon xom to dan pho",
        "thon to dan pho",
        "name",
        "hamlet",
        "hamlet name",
    },
    "kind": {"loai", "loai thon", "phan loai", "type", "kind", "hamlet type"},
    "head_name": {
        "truong thon",
        "truong thon to truong",
        "to truong",
        "truong thon to truong to dan pho",
        "nguoi dung dau",
        "head",
        "head name",
        "head of hamlet",
        "leader",
    },
    "household_count": {
        "so ho",
        "so ho gia dinh",
        "tong so ho",
        "households",
        "household count",
        "number of households",
    },
}
# Extra spellings officials use for a kind, beyond its label and its code.
KIND_ALIASES = {"to": Hamlet.Kind.TO_DAN_PHO, "tdp": Hamlet.Kind.TO_DAN_PHO}

__all__ = ["HamletRow", "ImportFileError", "RowError", "name_key", "read_hamlet_rows"]


@dataclass(frozen=True)
class HamletRow:
    row: int
    name: str
    kind: str
    head_name: str
    household_count: int


def _kind_key(value: str) -> str:
    return " ".join(fold(value).replace("_", " ").split())


@cache
def _kinds_for(language: str | None) -> dict[str, str]:
    """Kind by folded spelling: the Vietnamese label, the page language's label, the code."""
    with translation.override("vi"):
        vietnamese = {_kind_key(str(label)): value for value, label in Hamlet.Kind.choices}
    return {
        **{_kind_key(str(label)): value for value, label in Hamlet.Kind.choices},
        **vietnamese,
        **{_kind_key(value): value for value in Hamlet.Kind.values},
        **KIND_ALIASES,
    }


def _kinds() -> dict[str, str]:
    return _kinds_for(translation.get_language())


def name_key(name: str) -> str:
    """Hamlet names match ignoring case, not diacritics: "Tân Thành" is not "Tân Thạnh"."""
    return name.casefold()


def _find_header(rows) -> dict[str, int]:
    """Column index by column name, from the first row that names the hamlet column."""
    return find_header(
        rows,
        HEADERS,
        required=["name"],
        missing=_(
            "Không tìm thấy cột “Tên thôn” ở dòng tiêu đề. Hãy dùng tệp mẫu: các cột "
            "Tên thôn, Loại, Trưởng thôn, Số hộ."
        ),
    )


def _kind_from_name(name: str) -> str:
    folded = _kind_key(name)
    for key, value in sorted(_kinds().items(), key=lambda item: -len(item[0])):
        if folded.startswith(key + " "):
            return value
    return Hamlet.Kind.THON


def _check_row(number: int, cells: list, columns: dict[str, int]) -> HamletRow | list[str]:
    cell = column_getter(cells, columns)
    reasons = []
    name = cell_text(cell("name"))
    if not name:
        reasons.append(_("Thiếu tên thôn."))
    elif len(name) > NAME_MAX:
        reasons.append(_("Tên thôn dài quá %(max)d ký tự.") % {"max": NAME_MAX})

    kind_text = cell_text(cell("kind"))
    if kind_text:
        kind = _kinds().get(_kind_key(kind_text))
        if kind is None:
            reasons.append(
                _("Loại “%(value)s” không hợp lệ; hãy dùng một trong: %(choices)s.")
                % {"value": kind_text, "choices": ", ".join(map(str, Hamlet.Kind.labels))}
            )
    else:
        kind = _kind_from_name(name)

    head_name = cell_text(cell("head_name"))
    if len(head_name) > HEAD_MAX:
        reasons.append(_("Tên trưởng thôn dài quá %(max)d ký tự.") % {"max": HEAD_MAX})

    raw_count = cell("household_count")
    household_count = parse_count(raw_count)
    if household_count is None:
        reasons.append(
            _("Số hộ “%(value)s” phải là số nguyên không âm.") % {"value": cell_text(raw_count)}
        )

    if reasons:
        return reasons
    return HamletRow(
        row=number,
        name=name,
        kind=kind,
        head_name=head_name,
        household_count=household_count,
    )


def read_hamlet_rows(file: BinaryIO, filename: str) -> tuple[list[HamletRow], list[RowError]]:
    """The good rows and the refused rows of a hamlet list; ImportFileError for a bad file."""
    rows = read_table(file, filename)
    columns = _find_header(rows)
    good: list[HamletRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for number, cells in data_rows(rows, max_rows=MAX_DATA_ROWS):
        checked = _check_row(number, cells, columns)
        if isinstance(checked, list):
            errors.append(RowError(row=number, reason=" ".join(checked)))
            continue
        key = name_key(checked.name)
        if key in seen:
            errors.append(
                RowError(
                    row=number,
                    reason=_("Tên “%(name)s” trùng với dòng %(row)d.")
                    % {"name": checked.name, "row": seen[key]},
                )
            )
            continue
        seen[key] = number
        good.append(checked)
    return good, errors
