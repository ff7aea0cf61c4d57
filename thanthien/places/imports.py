"""Reading a hamlet list from an XLSX or CSV file into checked rows.

Nothing here writes to the database: `services.hamlets_import` does that with the rows.
"""

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import BinaryIO

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from thanthien.core.text import fold
from thanthien.places.models import Hamlet

MAX_DATA_ROWS = 5000
HEADER_SEARCH_ROWS = 10
MAX_COUNT = 2_147_483_647  # PositiveIntegerField's limit on every database
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

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls
THOUSANDS = re.compile(r"\d{1,3}([.,]\d{3})+")
WHOLE_DECIMAL = re.compile(r"(\d+)[.,]0+")


class ImportFileError(Exception):
    """The file as a whole cannot be used; the message says why, for the official."""


@dataclass(frozen=True)
class RowError:
    row: int
    reason: str


@dataclass(frozen=True)
class HamletRow:
    row: int
    name: str
    kind: str
    head_name: str
    household_count: int


def _header_key(value) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(_text(value))).split())


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


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value))
    return " ".join(text.split())


def _rows_from_xlsx(data: bytes) -> Iterator[tuple[int, list]]:
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ImportFileError(
            _("Không đọc được tệp Excel. Hãy mở tệp và lưu lại dưới dạng .xlsx.")
        ) from exc
    sheet = workbook.worksheets[0]
    for number, row in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        yield number, list(row)


def _rows_from_csv(data: bytes) -> Iterator[tuple[int, list]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("Tệp CSV không ở bảng mã UTF-8. Hãy lưu lại với kiểu “CSV UTF-8”.")
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        # Each record is one spreadsheet row, even when a quoted cell spans lines.
        yield from enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1)
    except csv.Error as exc:
        raise ImportFileError(_("Tệp CSV bị lỗi định dạng, không đọc được.")) from exc


def read_table(file: BinaryIO, filename: str) -> Iterator[tuple[int, list]]:
    """(row number as the spreadsheet shows it, cell values) for each row of an XLSX or CSV."""
    data = file.read()
    suffix = Path(filename or "").suffix.lower()
    if not data:
        raise ImportFileError(_("Tệp rỗng."))
    if data.startswith(XLSX_MAGIC):
        return _rows_from_xlsx(data)
    if data.startswith(OLE_MAGIC) or suffix == ".xls":
        raise ImportFileError(
            _("Tệp .xls (Excel 97–2003) chưa được hỗ trợ. Hãy lưu lại dưới dạng .xlsx.")
        )
    if suffix in (".xlsx", ".xlsm"):
        raise ImportFileError(_("Không đọc được tệp Excel. Hãy mở tệp và lưu lại dưới dạng .xlsx."))
    if suffix in (".csv", ".txt", ""):
        return _rows_from_csv(data)
    raise ImportFileError(_("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."))


def _find_header(rows: Iterator[tuple[int, list]]) -> dict[str, int]:
    """Column index by column name, from the first row that names the hamlet column."""
    for number, cells in rows:
        keys = [_header_key(cell) for cell in cells]
        columns: dict[str, int] = {}
        for index, key in enumerate(keys):
            for column, aliases in HEADERS.items():
                if key in aliases:
                    columns.setdefault(column, index)
        if "name" in columns:
            return columns
        if number >= HEADER_SEARCH_ROWS:
            break
    raise ImportFileError(
        _(
            "Không tìm thấy cột “Tên thôn” ở dòng tiêu đề. Hãy dùng tệp mẫu: các cột "
            "Tên thôn, Loại, Trưởng thôn, Số hộ."
        )
    )


def _parse_count(value) -> int | None:
    """A non-negative whole number, or None when the value is not one."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            return None
        number = int(value)
    else:
        text = str(value).strip().replace(" ", "").replace("\u00a0", "")
        if not text:
            return 0
        if THOUSANDS.fullmatch(text):
            text = re.sub(r"[.,]", "", text)
        elif match := WHOLE_DECIMAL.fullmatch(text):
            text = match.group(1)
        if not text.isascii() or not text.isdigit():
            return None
        number = int(text)
    return number if 0 <= number <= MAX_COUNT else None


def _kind_from_name(name: str) -> str:
    folded = _kind_key(name)
    for key, value in sorted(_kinds().items(), key=lambda item: -len(item[0])):
        if folded.startswith(key + " "):
            return value
    return Hamlet.Kind.THON


def _check_row(number: int, cells: list, columns: dict[str, int]) -> HamletRow | list[str]:
    def cell(column: str):
        index = columns.get(column)
        return cells[index] if index is not None and index < len(cells) else None

    reasons = []
    name = _text(cell("name"))
    if not name:
        reasons.append(_("Thiếu tên thôn."))
    elif len(name) > NAME_MAX:
        reasons.append(_("Tên thôn dài quá %(max)d ký tự.") % {"max": NAME_MAX})

    kind_text = _text(cell("kind"))
    if kind_text:
        kind = _kinds().get(_kind_key(kind_text))
        if kind is None:
            reasons.append(
                _("Loại “%(value)s” không hợp lệ; hãy dùng một trong: %(choices)s.")
                % {"value": kind_text, "choices": ", ".join(map(str, Hamlet.Kind.labels))}
            )
    else:
        kind = _kind_from_name(name)

    head_name = _text(cell("head_name"))
    if len(head_name) > HEAD_MAX:
        reasons.append(_("Tên trưởng thôn dài quá %(max)d ký tự.") % {"max": HEAD_MAX})

    raw_count = cell("household_count")
    household_count = _parse_count(raw_count)
    if household_count is None:
        reasons.append(
            _("Số hộ “%(value)s” phải là số nguyên không âm.") % {"value": _text(raw_count)}
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
    data_rows = 0
    for number, cells in rows:
        if not any(_text(value) for value in cells):
            continue
        data_rows += 1
        if data_rows > MAX_DATA_ROWS:
            raise ImportFileError(
                _("Tệp có quá %(max)d dòng; hãy chia nhỏ tệp.") % {"max": MAX_DATA_ROWS}
            )
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
    if data_rows == 0:
        raise ImportFileError(_("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
    return good, errors
