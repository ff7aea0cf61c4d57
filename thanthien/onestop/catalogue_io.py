"""The procedure catalogue as a spreadsheet: reading checked rows, writing XLSX and CSV.

One row per procedure, columns in docs/IMPORT_FORMATS.md. An exported file imports back
unchanged. Nothing here writes to the database: `catalogue.procedures_import` does.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from thanthien.core import tabular
from thanthien.core.tabular import ImportFileError, RowError, cell_lines, cell_text
from thanthien.onestop.models import Procedure, ProcedureField, RequiredDocument

MAX_DATA_ROWS = 2000
DOCUMENT_SEPARATOR = "|"
MAX_DAYS = 32767

COLUMNS = [
    "code",
    "name",
    "field",
    "processing_days",
    "fee_amount",
    "fee_note",
    "documents",
    "steps",
    "legal_basis",
    "result_document",
    "online_level",
    "postal_return",
    "source_url",
    "is_active",
]

# Header text, folded and stripped of punctuation -> column. Vietnamese and English.
HEADERS = {
    "code": {"ma", "ma thu tuc", "ma tthc", "ma so", "code", "procedure code"},
    "name": {"ten", "ten thu tuc", "ten tthc", "thu tuc", "name", "procedure", "procedure name"},
    "field": {"linh vuc", "ma linh vuc", "field", "field code", "area"},
    "processing_days": {
        "thoi han",
        "thoi han giai quyet",
        "thoi han ngay lam viec",
        "thoi han giai quyet ngay lam viec",
        "so ngay",
        "processing days",
        "processing time",
        "time limit",
        "days",
    },
    "fee_amount": {
        "phi",
        "le phi",
        "phi le phi",
        "phi le phi dong",
        "muc phi",
        "fee",
        "fee amount",
        "fee vnd",
    },
    "fee_note": {"ghi chu phi", "ghi chu phi le phi", "ghi chu ve phi", "fee note"},
    "documents": {
        "thanh phan ho so",
        "giay to",
        "ho so",
        "giay to can nop",
        "documents",
        "required documents",
    },
    "steps": {"trinh tu", "trinh tu thuc hien", "cac buoc", "steps"},
    "legal_basis": {"can cu phap ly", "can cu", "legal basis"},
    "result_document": {"ket qua", "ket qua giai quyet", "ket qua thuc hien", "result"},
    "online_level": {"muc do truc tuyen", "muc do", "truc tuyen", "online level"},
    "postal_return": {
        "tra ket qua qua buu chinh",
        "buu chinh",
        "tra qua buu chinh",
        "postal return",
        "post",
    },
    "source_url": {"nguon", "nguon cong khai", "duong dan", "source", "source url", "url"},
    "is_active": {"dang ap dung", "ap dung", "active", "is active"},
}

YES = {"co", "x", "yes", "y", "1", "true", "dung"}
NO = {"khong", "no", "n", "0", "false", "sai"}
ORIGINAL = {"ban chinh", "chinh", "bc", "original"}
COPY = {"ban sao", "sao", "bs", "copy"}
ONLINE_ALIASES = {
    "toan trinh": Procedure.OnlineLevel.FULL,
    "mot phan": Procedure.OnlineLevel.PARTIAL,
    "truc tiep": Procedure.OnlineLevel.IN_PERSON,
}
SAME_DAY = {"trong ngay", "ngay", "same day"}
FREE = {"mien phi", "khong", "free", "mien"}
MONEY_SUFFIX = re.compile(r"\s*(đồng|đ|dong|vnd)\.?$", re.IGNORECASE)

CODE_MAX = Procedure._meta.get_field("code").max_length
NAME_MAX = Procedure._meta.get_field("name").max_length
FEE_NOTE_MAX = Procedure._meta.get_field("fee_note").max_length
RESULT_MAX = Procedure._meta.get_field("result_document").max_length
URL_MAX = Procedure._meta.get_field("source_url").max_length
DOC_NAME_MAX = RequiredDocument._meta.get_field("name").max_length
DOC_NOTE_MAX = RequiredDocument._meta.get_field("note").max_length


@dataclass(frozen=True)
class DocumentRow:
    name: str
    copies: int
    original_required: bool
    note: str = ""


@dataclass(frozen=True)
class ProcedureRow:
    """One checked row: the procedure's values and its documents, in order."""

    row: int
    code: str
    values: dict
    documents: tuple[DocumentRow, ...]


def _key(value) -> str:
    return tabular.header_key(value)


def headers() -> list[str]:
    """The column titles, in the page language (Vietnamese by default)."""
    return [
        _("Mã thủ tục"),
        _("Tên thủ tục"),
        _("Lĩnh vực"),
        _("Thời hạn (ngày làm việc)"),
        _("Phí, lệ phí (đồng)"),
        _("Ghi chú phí"),
        _("Thành phần hồ sơ"),
        _("Trình tự thực hiện"),
        _("Căn cứ pháp lý"),
        _("Kết quả giải quyết"),
        _("Mức độ trực tuyến"),
        _("Trả kết quả qua bưu chính"),
        _("Nguồn"),
        _("Đang áp dụng"),
    ]


# --- reading -----------------------------------------------------------------------------


def _online_levels() -> dict[str, str]:
    levels = {_key(value): value for value in Procedure.OnlineLevel.values}
    levels |= {_key(label): value for value, label in Procedure.OnlineLevel.choices}
    with translation.override("vi"):
        levels |= {_key(label): value for value, label in Procedure.OnlineLevel.choices}
    return levels | ONLINE_ALIASES


def _fields_by_key() -> dict[str, ProcedureField]:
    fields = {}
    for field in ProcedureField.objects.all():
        for spelling in (field.code, field.name, field.name_en):
            if spelling:
                fields.setdefault(_key(spelling), field)
    return fields


def _parse_bool(value, *, blank: bool) -> bool | None:
    key = _key(value)
    if not key:
        return blank
    if key in YES:
        return True
    if key in NO:
        return False
    return None


def _parse_days(value) -> int | None:
    if _key(value) in SAME_DAY:
        return 0
    days = tabular.parse_count(value, blank=None)
    return days if days is not None and days <= MAX_DAYS else None


def _parse_fee(value) -> tuple[bool, int | None]:
    """(ok, amount): blank is (True, None) — the fee is in the note; "Miễn phí" is 0."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        amount = tabular.parse_count(value)
        return amount is not None, amount
    text = cell_text(value)
    if not text:
        return True, None
    if _key(text) in FREE:
        return True, 0
    amount = tabular.parse_count(MONEY_SUFFIX.sub("", text), blank=None)
    return amount is not None, amount


def _parse_document(line: str) -> DocumentRow | str:
    """ "Name | copies | bản chính/bản sao | note" -> a document, or the reason it is not one."""
    parts = [part.strip() for part in line.split(DOCUMENT_SEPARATOR)]
    name = parts[0].lstrip("-•+* ").strip()
    if not name:
        return _("giấy tờ thiếu tên: “%(line)s”") % {"line": line}
    if len(name) > DOC_NAME_MAX:
        return _("tên giấy tờ dài quá %(max)d ký tự") % {"max": DOC_NAME_MAX}
    copies = 1
    if len(parts) > 1 and parts[1]:
        copies = tabular.parse_count(parts[1], blank=1)
        if not copies or copies > MAX_DAYS:
            return _("số bản “%(value)s” của “%(name)s” phải là số nguyên dương") % {
                "value": parts[1],
                "name": name,
            }
    original = False
    if len(parts) > 2 and parts[2]:
        kind = _key(parts[2])
        if kind in ORIGINAL:
            original = True
        elif kind not in COPY:
            return _("“%(value)s” của “%(name)s”: hãy ghi “bản chính” hoặc “bản sao”") % {
                "value": parts[2],
                "name": name,
            }
    note = " | ".join(parts[3:]).strip() if len(parts) > 3 else ""
    if len(note) > DOC_NOTE_MAX:
        return _("ghi chú của “%(name)s” dài quá %(max)d ký tự") % {
            "name": name,
            "max": DOC_NOTE_MAX,
        }
    return DocumentRow(name=name, copies=copies, original_required=original, note=note)


def _check_row(
    number: int, cells: list, columns: dict[str, int], fields: dict, levels: dict
) -> ProcedureRow | list[str]:
    cell = tabular.column_getter(cells, columns)
    reasons: list[str] = []

    code = cell_text(cell("code"))
    if not code:
        reasons.append(_("Thiếu mã thủ tục."))
    elif len(code) > CODE_MAX:
        reasons.append(_("Mã thủ tục dài quá %(max)d ký tự.") % {"max": CODE_MAX})

    name = cell_text(cell("name"))
    if not name:
        reasons.append(_("Thiếu tên thủ tục."))
    elif len(name) > NAME_MAX:
        reasons.append(_("Tên thủ tục dài quá %(max)d ký tự.") % {"max": NAME_MAX})

    field_text = cell_text(cell("field"))
    field = fields.get(_key(field_text))
    if not field_text:
        reasons.append(_("Thiếu lĩnh vực."))
    elif field is None:
        reasons.append(_("Không có lĩnh vực “%(value)s”.") % {"value": field_text})

    processing_days = _parse_days(cell("processing_days"))
    if processing_days is None:
        reasons.append(
            _("Thời hạn “%(value)s” phải là số ngày làm việc (0 là trong ngày).")
            % {"value": cell_text(cell("processing_days"))}
        )

    fee_ok, fee_amount = _parse_fee(cell("fee_amount"))
    if not fee_ok:
        reasons.append(
            _("Phí “%(value)s” phải là số tiền bằng đồng, ví dụ 50000 hoặc 50.000.")
            % {"value": cell_text(cell("fee_amount"))}
        )
    fee_note = cell_text(cell("fee_note"))
    if len(fee_note) > FEE_NOTE_MAX:
        reasons.append(_("Ghi chú phí dài quá %(max)d ký tự.") % {"max": FEE_NOTE_MAX})

    documents: list[DocumentRow] = []
    for line in cell_lines(cell("documents")):
        parsed = _parse_document(line)
        if isinstance(parsed, str):
            reasons.append(_("Thành phần hồ sơ: %(reason)s.") % {"reason": parsed})
        else:
            documents.append(parsed)

    result_document = cell_text(cell("result_document"))
    if len(result_document) > RESULT_MAX:
        reasons.append(_("Kết quả giải quyết dài quá %(max)d ký tự.") % {"max": RESULT_MAX})

    level_text = cell_text(cell("online_level"))
    online_level = levels.get(_key(level_text)) if level_text else Procedure.OnlineLevel.IN_PERSON
    if online_level is None:
        reasons.append(
            _("Mức độ trực tuyến “%(value)s” không hợp lệ; hãy dùng một trong: %(choices)s.")
            % {"value": level_text, "choices": ", ".join(map(str, Procedure.OnlineLevel.labels))}
        )

    postal_return = _parse_bool(cell("postal_return"), blank=False)
    if postal_return is None:
        reasons.append(
            _("Trả kết quả qua bưu chính “%(value)s”: hãy ghi “có” hoặc “không”.")
            % {"value": cell_text(cell("postal_return"))}
        )
    is_active = _parse_bool(cell("is_active"), blank=True)
    if is_active is None:
        reasons.append(
            _("Đang áp dụng “%(value)s”: hãy ghi “có” hoặc “không”.")
            % {"value": cell_text(cell("is_active"))}
        )

    source_url = cell_text(cell("source_url"))
    if source_url:
        try:
            URLValidator(schemes=["http", "https"])(source_url)
        except ValidationError:
            reasons.append(_("Nguồn “%(value)s” không phải địa chỉ web.") % {"value": source_url})
        if len(source_url) > URL_MAX:
            reasons.append(_("Địa chỉ nguồn dài quá %(max)d ký tự.") % {"max": URL_MAX})

    if reasons:
        return reasons
    return ProcedureRow(
        row=number,
        code=code,
        values={
            "name": name,
            "field": field,
            "processing_days": processing_days,
            "fee_amount": fee_amount,
            "fee_note": fee_note,
            "steps": "\n".join(cell_lines(cell("steps"))),
            "legal_basis": "\n".join(cell_lines(cell("legal_basis"))),
            "result_document": result_document,
            "online_level": online_level,
            "postal_return": postal_return,
            "source_url": source_url,
            "is_active": is_active,
        },
        documents=tuple(documents),
    )


def read_procedure_rows(file: BinaryIO, filename: str) -> tuple[list[ProcedureRow], list[RowError]]:
    """The good rows and the refused rows of a catalogue file; ImportFileError for a bad file."""
    rows = tabular.read_table(file, filename)
    columns = tabular.find_header(
        rows,
        HEADERS,
        required=["code", "name"],
        missing=_(
            "Không tìm thấy cột “Mã thủ tục” và “Tên thủ tục” ở dòng tiêu đề. "
            "Hãy dùng tệp mẫu của trang nhập thủ tục."
        ),
    )
    fields = _fields_by_key()
    levels = _online_levels()
    good: list[ProcedureRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for number, cells in tabular.data_rows(rows, max_rows=MAX_DATA_ROWS):
        checked = _check_row(number, cells, columns, fields, levels)
        if isinstance(checked, list):
            errors.append(RowError(row=number, reason=" ".join(checked)))
            continue
        key = checked.code.casefold()
        if key in seen:
            errors.append(
                RowError(
                    row=number,
                    reason=_("Mã “%(code)s” trùng với dòng %(row)d.")
                    % {"code": checked.code, "row": seen[key]},
                )
            )
            continue
        seen[key] = number
        good.append(checked)
    return good, errors


# --- writing -----------------------------------------------------------------------------


def document_line(document) -> str:
    """One document as the import reads it: "Tờ khai | 1 | bản chính"."""
    kind = _("bản chính") if document.original_required else _("bản sao")
    parts = [document.name, str(document.copies), str(kind)]
    if document.note:
        parts.append(document.note)
    return f" {DOCUMENT_SEPARATOR} ".join(parts)


def _yes_no(value: bool) -> str:
    return str(_("có") if value else _("không"))


def procedure_cells(procedure: Procedure) -> list:
    """The row of a procedure (documents prefetched, field selected) in the import's columns."""
    return [
        procedure.code,
        procedure.name,
        procedure.field.name,
        procedure.processing_days,
        procedure.fee_amount,
        procedure.fee_note,
        "\n".join(document_line(d) for d in procedure.documents.all()),
        "\n".join(procedure.step_lines()),
        "\n".join(procedure.legal_basis_lines()),
        procedure.result_document,
        procedure.get_online_level_display(),
        _yes_no(procedure.postal_return),
        procedure.source_url,
        _yes_no(procedure.is_active),
    ]


WIDTHS = (12, 40, 18, 12, 12, 30, 60, 50, 36, 30, 20, 12, 40, 10, 24)


def _workbook(rows: Iterable[list], extra_headers: list[str]) -> Workbook:
    workbook = Workbook()
    sheet = tabular.start_sheet(
        workbook, _("Thủ tục hành chính"), headers() + extra_headers, WIDTHS
    )
    for row in rows:
        tabular.append_text_row(sheet, row, wrap=True)
    return workbook


def _rows(procedures: Iterable[Procedure], with_commune: bool) -> Iterable[list]:
    for procedure in procedures:
        row = procedure_cells(procedure)
        if with_commune:
            row.append(procedure.commune.name)
        yield row


def _extra(with_commune: bool) -> list[str]:
    return [_("Xã, phường")] if with_commune else []


def procedures_xlsx(procedures: Iterable[Procedure], *, with_commune: bool = False) -> bytes:
    """The catalogue in the import's columns; with_commune adds the commune as a last column."""
    workbook = _workbook(_rows(procedures, with_commune), _extra(with_commune))
    return tabular.workbook_bytes(workbook)


def procedures_csv(procedures: Iterable[Procedure], *, with_commune: bool = False) -> bytes:
    return tabular.csv_bytes([headers() + _extra(with_commune), *_rows(procedures, with_commune)])


def procedure_template_xlsx() -> bytes:
    """The header row, one example row, and a sheet that explains the columns."""
    example = [
        "1.001193",
        _("Đăng ký khai sinh"),
        _("Hộ tịch"),
        0,
        0,
        _("Miễn lệ phí khi đăng ký đúng hạn"),
        "\n".join(
            [
                _("Tờ khai đăng ký khai sinh theo mẫu | 1 | bản chính"),
                _("Giấy chứng sinh | 1 | bản chính"),
                _("Giấy tờ tùy thân của người đi đăng ký | 1 | bản chính | xuất trình"),
            ]
        ),
        "\n".join(
            [
                _("Nộp hồ sơ tại Bộ phận một cửa hoặc trên Cổng Dịch vụ công"),
                _("Công chức tư pháp - hộ tịch kiểm tra và ghi vào Sổ hộ tịch"),
                _("Trả Giấy khai sinh"),
            ]
        ),
        "\n".join([_("Luật Hộ tịch 2014"), _("Nghị định 123/2015/NĐ-CP")]),
        _("Giấy khai sinh (bản chính)"),
        str(Procedure.OnlineLevel.FULL.label),
        _("có"),
        "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html"
        "?ma_thu_tuc=1.001193",
        _("có"),
    ]
    workbook = _workbook([example], [])
    tabular.add_guide(
        workbook,
        _("Hướng dẫn"),
        [
            (
                _("Mã thủ tục"),
                _("Bắt buộc; mã trên Cơ sở dữ liệu quốc gia về TTHC, ví dụ 1.001193."),
            ),
            (_("Tên thủ tục"), _("Bắt buộc.")),
            (
                _("Lĩnh vực"),
                _("Bắt buộc; tên hoặc mã lĩnh vực, có dấu hay không dấu đều được: %(fields)s.")
                % {"fields": ", ".join(ProcedureField.objects.values_list("name", flat=True))},
            ),
            (_("Thời hạn (ngày làm việc)"), _("Bắt buộc; số ngày làm việc, 0 là trong ngày.")),
            (
                _("Phí, lệ phí (đồng)"),
                _("Số tiền bằng đồng; 0 là miễn phí; bỏ trống nếu phí tính theo ghi chú."),
            ),
            (_("Ghi chú phí"), _("Cách tính phí, ví dụ 2.000 đ/trang.")),
            (
                _("Thành phần hồ sơ"),
                _(
                    "Mỗi giấy tờ một dòng (Alt+Enter để xuống dòng trong ô): "
                    "Tên giấy tờ | số bản | bản chính hoặc bản sao | ghi chú. "
                    "Chỉ cần tên thì mặc định 1 bản sao."
                ),
            ),
            (_("Trình tự thực hiện"), _("Mỗi bước một dòng.")),
            (_("Căn cứ pháp lý"), _("Mỗi văn bản một dòng.")),
            (_("Kết quả giải quyết"), _("Giấy tờ người dân nhận được.")),
            (
                _("Mức độ trực tuyến"),
                _("Một trong: %(levels)s. Bỏ trống là Trực tiếp.")
                % {"levels": ", ".join(map(str, Procedure.OnlineLevel.labels))},
            ),
            (_("Trả kết quả qua bưu chính"), _("có hoặc không; bỏ trống là không.")),
            (_("Nguồn"), _("Địa chỉ trang thủ tục trên Cổng Dịch vụ công quốc gia.")),
            (_("Đang áp dụng"), _("có hoặc không; bỏ trống là có.")),
            (
                _("Lưu ý"),
                _("Thủ tục đã có cùng mã sẽ được cập nhật; nhập lại cùng tệp không đổi gì."),
            ),
        ],
    )
    return tabular.workbook_bytes(workbook)


__all__ = [
    "COLUMNS",
    "ImportFileError",
    "ProcedureRow",
    "RowError",
    "procedure_template_xlsx",
    "procedures_csv",
    "procedures_xlsx",
    "read_procedure_rows",
]
