"""Spreadsheets officials upload and download: reading XLSX/CSV rows, matching headers, writing.

Shared by every list import (hamlets, the procedure catalogue). Nothing here touches the
database: each app checks its own rows and its service saves them.
"""

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from thanthien.core.text import fold

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
HEADER_SEARCH_ROWS = 10
MAX_COUNT = 2_147_483_647  # PositiveIntegerField's limit on every database

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls
THOUSANDS = re.compile(r"\d{1,3}([.,]\d{3})+")
WHOLE_DECIMAL = re.compile(r"(\d+)[.,]0+")

Rows = Iterator[tuple[int, list]]


class ImportFileError(Exception):
    """The file as a whole cannot be used; the message says why, for the official."""


@dataclass(frozen=True)
class RowError:
    row: int
    reason: str


@dataclass
class ImportReport:
    """What an import did: counts, the rows it refused, or why the whole file was refused."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""

    @property
    def accepted(self) -> int:
        return self.created + self.updated + self.unchanged


def cell_text(value) -> str:
    """The cell as one line of NFC text, whitespace collapsed; "" for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value))
    return " ".join(text.split())


def cell_lines(value) -> list[str]:
    """The non-empty lines of a cell typed with Alt+Enter (or a quoted multi-line CSV cell)."""
    if value is None:
        return []
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return [line for line in (cell_text(part) for part in text.split("\n")) if line]


def header_key(value) -> str:
    """A header folded and stripped of punctuation: "Số hộ (gia đình)" -> "so ho gia dinh"."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(cell_text(value))).split())


def _rows_from_xlsx(data: bytes) -> Rows:
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ImportFileError(
            _("Không đọc được tệp Excel. Hãy mở tệp và lưu lại dưới dạng .xlsx.")
        ) from exc
    sheet = workbook.worksheets[0]
    for number, row in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        yield number, list(row)


def _rows_from_csv(data: bytes) -> Rows:
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


def read_table(file: BinaryIO, filename: str) -> Rows:
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


def find_header(
    rows: Rows, headers: dict[str, set[str]], *, required: Iterable[str], missing: str
) -> dict[str, int]:
    """Column index by column name, from the first row naming every `required` column.

    `headers` maps a column to its accepted spellings as `header_key` gives them; `missing`
    is the message for a file where no row in the first few names them.
    """
    required = tuple(required)
    for number, cells in rows:
        columns: dict[str, int] = {}
        for index, cell in enumerate(cells):
            key = header_key(cell)
            for column, aliases in headers.items():
                if key in aliases:
                    columns.setdefault(column, index)
        if all(column in columns for column in required):
            return columns
        if number >= HEADER_SEARCH_ROWS:
            break
    raise ImportFileError(missing)


def data_rows(rows: Rows, *, max_rows: int) -> Rows:
    """The rows below the header that hold anything; refuses a file too long or with none."""
    count = 0
    for number, cells in rows:
        if not any(cell_text(value) for value in cells):
            continue
        count += 1
        if count > max_rows:
            raise ImportFileError(
                _("Tệp có quá %(max)d dòng; hãy chia nhỏ tệp.") % {"max": max_rows}
            )
        yield number, cells
    if count == 0:
        raise ImportFileError(_("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))


def column_getter(cells: list, columns: dict[str, int]):
    """cell(column) -> the raw value of that column in this row, None when absent."""

    def cell(column: str):
        index = columns.get(column)
        return cells[index] if index is not None and index < len(cells) else None

    return cell


def parse_count(value, *, blank: int | None = 0) -> int | None:
    """A non-negative whole number ("1.200", "12,0", 7.0 all read), or None when not one.

    An empty cell gives `blank`.
    """
    if value is None or value == "":
        return blank
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
            return blank
        if THOUSANDS.fullmatch(text):
            text = re.sub(r"[.,]", "", text)
        elif match := WHOLE_DECIMAL.fullmatch(text):
            text = match.group(1)
        if not text.isascii() or not text.isdigit():
            return None
        number = int(text)
    return number if 0 <= number <= MAX_COUNT else None


# --- writing -----------------------------------------------------------------------------


def start_sheet(workbook: Workbook, title: str, headers: list[str], widths: Iterable[int]):
    """The first sheet, titled, with a bold frozen header row and the given column widths."""
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return sheet


def append_text_row(sheet, values: list, *, wrap: bool = False) -> None:
    """Append a row where text typed as "=…" stays text, never a formula."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def add_guide(workbook: Workbook, title: str, lines: list[tuple[str, str]]) -> None:
    """A second sheet that explains each column: (column, how to fill it)."""
    guide = workbook.create_sheet(title[:31])
    guide.append([_("Cột"), _("Cách điền")])
    for line in lines:
        append_text_row(guide, list(line), wrap=True)
    for cell in guide[1]:
        cell.font = Font(bold=True)
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 90


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Iterable[list]) -> bytes:
    """UTF-8 with a BOM so Excel opens Vietnamese text right; quoted multi-line cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
