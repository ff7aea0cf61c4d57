"""Dossiers exported from a province's one-stop system, as a spreadsheet: reading, writing.

One row per dossier, columns in docs/IMPORT_FORMATS.md ("Dossiers from the province's
system"). Reading checks each row on its own (dates, phone, state words…); what needs the
database (the procedure, who owns the code, the working-day calendar) is checked by
`province_import.dossiers_import`, which also saves. An exported file imports back unchanged.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import BinaryIO

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.utils.datetime import from_excel

from thanthien.core import tabular
from thanthien.core.tabular import ImportFileError, RowError, cell_text
from thanthien.onestop.dossier_selectors import LOCAL_TZ
from thanthien.onestop.models import Dossier

# The service imports in chunks, so a large file never sits in memory as model objects.
MAX_DATA_ROWS = 1_000_000

COLUMNS = [
    "code",
    "procedure_code",
    "applicant_name",
    "applicant_phone",
    "applicant_address",
    "channel",
    "received_at",
    "due_date",
    "result_ready_at",
    "returned_at",
    "state",
    "return_method",
    "original_due_date",
    "note",
]

# Header text, folded and stripped of punctuation -> column. Vietnamese and English.
HEADERS = {
    "code": {"ma ho so", "so ho so", "ma so ho so", "so bien nhan", "dossier code", "code"},
    "procedure_code": {"ma thu tuc", "ma tthc", "ma thu tuc hanh chinh", "procedure code"},
    "applicant_name": {
        "ten nguoi nop",
        "nguoi nop",
        "ho ten nguoi nop",
        "ho va ten nguoi nop",
        "chu ho so",
        "ten chu ho so",
        "applicant",
        "applicant name",
    },
    "applicant_phone": {
        "so dien thoai",
        "dien thoai",
        "sdt",
        "so dt",
        "so dien thoai nguoi nop",
        "phone",
        "phone number",
    },
    "applicant_address": {"dia chi", "dia chi nguoi nop", "address"},
    "channel": {"kenh nop", "hinh thuc nop", "kenh tiep nhan", "channel"},
    "received_at": {
        "ngay tiep nhan",
        "ngay nhan",
        "ngay nop",
        "thoi gian tiep nhan",
        "ngay gio tiep nhan",
        "received",
        "received at",
    },
    "due_date": {
        "ngay hen tra",
        "ngay hen tra ket qua",
        "hen tra",
        "han xu ly",
        "han giai quyet",
        "due date",
        "return date",
    },
    "result_ready_at": {
        "ngay co ket qua",
        "ngay hoan thanh",
        "ngay xu ly xong",
        "ngay giai quyet xong",
        "result ready",
        "result ready at",
    },
    "returned_at": {"ngay tra ket qua", "ngay tra", "ngay tra kq", "returned", "returned at"},
    "state": {"trang thai", "tinh trang", "trang thai ho so", "state", "status"},
    "return_method": {
        "hinh thuc tra",
        "hinh thuc tra ket qua",
        "hinh thuc nhan ket qua",
        "nhan ket qua",
        "return method",
    },
    "original_due_date": {
        "ngay hen tra ban dau",
        "hen tra ban dau",
        "ngay hen ban dau",
        "original due date",
    },
    "note": {"ghi chu", "note", "notes"},
}

# The words provincial systems use for a dossier's state (folded), beside our own labels.
STATE_WORDS = {
    Dossier.State.RECEIVED: {
        "moi tiep nhan",
        "tiep nhan",
        "da tiep nhan",
        "cho xu ly",
        "cho tiep nhan xu ly",
        "moi",
        "received",
    },
    Dossier.State.IN_PROGRESS: {
        "dang xu ly",
        "dang giai quyet",
        "dang thu ly",
        "chuyen xu ly",
        "da chuyen xu ly",
        "cho phe duyet",
        "trinh ky",
        "dang trinh ky",
        "cho ky duyet",
        "in progress",
    },
    Dossier.State.SUPPLEMENT: {
        "cho bo sung",
        "yeu cau bo sung",
        "bo sung ho so",
        "dang bo sung",
        "cho bo sung hoan thien",
        "yeu cau bo sung hoan thien",
        "yeu cau bo sung ho so",
        "cho bo sung ho so",
        "supplement",
    },
    Dossier.State.RESULT_READY: {
        "co ket qua",
        "da co ket qua",
        "cho tra ket qua",
        "cho tra",
        "da giai quyet",
        "da xu ly xong",
        "hoan thanh",
        "da hoan thanh",
        "result ready",
    },
    Dossier.State.RETURNED: {
        "da tra ket qua",
        "da tra",
        "da tra kq",
        "tra ket qua",
        "da tra ket qua cho cong dan",
        "ket thuc",
        "returned",
    },
    Dossier.State.REFUSED: {
        "tu choi",
        "tu choi tiep nhan",
        "khong tiep nhan",
        "tu choi giai quyet",
        "khong du dieu kien",
        "tra lai ho so",
        "refused",
    },
    Dossier.State.WITHDRAWN: {
        "rut ho so",
        "da rut",
        "cong dan rut ho so",
        "cong dan xin rut",
        "huy",
        "da huy",
        "huy ho so",
        "dung xu ly",
        "withdrawn",
    },
}
# "Đã trả kết quả đúng hạn", "Đang xử lý quá hạn": the timing word is ours to judge.
TIMING_SUFFIX = re.compile(r"\s+(truoc han|dung han|som han|qua han|tre han|cham)$")
DOSSIER_PREFIX = re.compile(r"^ho so\s+")

# Short words the export writes and the brief's layout documents; model labels work too.
CHANNEL_WORDS = {
    Dossier.Channel.DESK: gettext_lazy("trực tiếp"),
    Dossier.Channel.ONLINE: gettext_lazy("trực tuyến"),
    Dossier.Channel.POST: gettext_lazy("bưu chính"),
}
CHANNEL_ALIASES = {
    "tai bo phan mot cua": Dossier.Channel.DESK,
    "mot cua": Dossier.Channel.DESK,
    "desk": Dossier.Channel.DESK,
    "in person": Dossier.Channel.DESK,
    "dich vu cong": Dossier.Channel.ONLINE,
    "cong dich vu cong": Dossier.Channel.ONLINE,
    "qua mang": Dossier.Channel.ONLINE,
    "buu dien": Dossier.Channel.POST,
    "qua buu chinh": Dossier.Channel.POST,
    "post": Dossier.Channel.POST,
}
RETURN_WORDS = {
    Dossier.ReturnMethod.DESK: gettext_lazy("tại bộ phận một cửa"),
    Dossier.ReturnMethod.POST: gettext_lazy("bưu chính"),
}
RETURN_ALIASES = {
    "truc tiep": Dossier.ReturnMethod.DESK,
    "mot cua": Dossier.ReturnMethod.DESK,
    "tai mot cua": Dossier.ReturnMethod.DESK,
    "nhan truc tiep": Dossier.ReturnMethod.DESK,
    "desk": Dossier.ReturnMethod.DESK,
    "at the desk": Dossier.ReturnMethod.DESK,
    "buu dien": Dossier.ReturnMethod.POST,
    "qua buu chinh": Dossier.ReturnMethod.POST,
    "qua buu chinh cong ich": Dossier.ReturnMethod.POST,
    "post": Dossier.ReturnMethod.POST,
}

DAY_FIRST = re.compile(
    r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2})[:hH](\d{2})(?::(\d{2}))?)?"
)
TIME_FIRST = re.compile(
    r"(\d{1,2})[:hH](\d{2})(?::(\d{2}))?[ ,]+(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"
)
ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?")
PHONE_NOISE = re.compile(r"[\s.\-()/]")
# Excel's serial day numbers from 1954 to 2119: a number cell holding a date.
EXCEL_SERIALS = (20_000, 80_000)
YEARS = (1990, 2100)

# Column names in messages, translated only when a row is refused.
LABELS = {
    "received_at": gettext_lazy("Ngày tiếp nhận"),
    "due_date": gettext_lazy("Ngày hẹn trả"),
    "result_ready_at": gettext_lazy("Ngày có kết quả"),
    "returned_at": gettext_lazy("Ngày trả kết quả"),
    "original_due_date": gettext_lazy("Ngày hẹn trả ban đầu"),
}
BAD_MOMENT = gettext_lazy(
    "%(column)s “%(value)s” không phải ngày giờ dạng dd/mm/yyyy HH:MM hoặc dd/mm/yyyy."
)
BAD_DAY = gettext_lazy("%(column)s “%(value)s” không phải ngày dạng dd/mm/yyyy.")
BAD_CHANNEL = gettext_lazy(
    "Kênh nộp “%(value)s” không hợp lệ; hãy ghi trực tiếp, trực tuyến hoặc bưu chính."
)
BAD_RETURN_METHOD = gettext_lazy(
    "Hình thức trả “%(value)s” không hợp lệ; hãy ghi tại bộ phận một cửa hoặc bưu chính."
)

CODE_MAX = Dossier._meta.get_field("code").max_length
NAME_MAX = Dossier._meta.get_field("applicant_name").max_length
ADDRESS_MAX = Dossier._meta.get_field("applicant_address").max_length


@dataclass(frozen=True)
class DossierRow:
    """One checked row. `due_date` None: computed from the procedure's time limit."""

    row: int
    code: str
    procedure_code: str
    applicant_name: str
    applicant_phone: str
    applicant_address: str
    channel: str
    received_at: datetime
    due_date: date | None
    result_ready_at: datetime | None
    returned_at: datetime | None
    state: str
    return_method: str
    original_due_date: date | None
    note: str


@lru_cache(maxsize=4096)
def _key(value) -> str:
    """The folded spelling of a cell; the same few state and channel words fill a file."""
    return tabular.header_key(value)


def headers() -> list[str]:
    """The column titles, in the page language (Vietnamese by default)."""
    return [
        _("Mã hồ sơ"),
        _("Mã thủ tục"),
        _("Tên người nộp"),
        _("Số điện thoại"),
        _("Địa chỉ"),
        _("Kênh nộp"),
        _("Ngày tiếp nhận"),
        _("Ngày hẹn trả"),
        _("Ngày có kết quả"),
        _("Ngày trả kết quả"),
        _("Trạng thái"),
        _("Hình thức trả"),
        _("Ngày hẹn trả ban đầu"),
        _("Ghi chú"),
    ]


# --- reading -----------------------------------------------------------------------------


def normalise_phone(value) -> str | None:
    """A Vietnamese number as 10 digits starting with 0, or None when it is not one.

    "+84 912 345 678", "84912345678", "0912.345.678" and 912345678 (Excel dropped the 0)
    all give "0912345678".
    """
    digits = PHONE_NOISE.sub("", cell_text(value))
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("0084"):
        digits = "0" + digits[4:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    elif len(digits) == 9 and not digits.startswith("0"):
        digits = "0" + digits
    if len(digits) == 10 and digits.isascii() and digits.isdigit() and digits[0] == "0":
        return digits
    return None


def _moment(year, month, day, hour=0, minute=0, second=0) -> datetime | None:
    try:
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
    except ValueError:
        return None
    if not YEARS[0] <= moment.year <= YEARS[1]:
        return None
    return moment


def _naive(value) -> datetime | None:
    """The local date and time a cell holds (an Excel date, a serial number or dd/mm/yyyy)."""
    if isinstance(value, datetime):
        moment = value.astimezone(LOCAL_TZ).replace(tzinfo=None) if value.tzinfo else value
        # A time read back from Excel's serial number can be a hair before the minute.
        moment = (moment + timedelta(milliseconds=500)).replace(microsecond=0)
        return moment if YEARS[0] <= moment.year <= YEARS[1] else None
    if isinstance(value, date):
        return _moment(value.year, value.month, value.day)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not EXCEL_SERIALS[0] <= value <= EXCEL_SERIALS[1]:
            return None
        return _naive(from_excel(value))
    text = cell_text(value)
    if match := DAY_FIRST.fullmatch(text):
        day, month, year, hour, minute, second = match.groups()
        return _moment(year, month, day, hour or 0, minute or 0, second)
    if match := TIME_FIRST.fullmatch(text):
        hour, minute, second, day, month, year = match.groups()
        return _moment(year, month, day, hour, minute, second)
    if match := ISO.fullmatch(text):
        year, month, day, hour, minute, second = match.groups()
        return _moment(year, month, day, hour or 0, minute or 0, second)
    return None


def parse_moment(value) -> datetime | None:
    """A cell as an aware local time to the minute; a date alone is the start of that day."""
    moment = _naive(value)
    if moment is None:
        return None
    return moment.replace(second=0, microsecond=0, tzinfo=LOCAL_TZ)


def parse_day(value) -> date | None:
    moment = _naive(value)
    return None if moment is None else moment.date()


def _choices_by_key(words: dict, aliases: dict, choices: Iterable[tuple[str, str]]) -> dict:
    """Folded spelling -> value: the short words and model labels in both languages, values."""
    found = {_key(value): value for value, _label in choices}
    for language in ("en", "vi"):
        with translation.override(language):
            found |= {_key(label): value for value, label in choices}
            found |= {_key(str(word)): value for value, word in words.items()}
    return found | aliases


def channels() -> dict[str, str]:
    return _choices_by_key(CHANNEL_WORDS, CHANNEL_ALIASES, Dossier.Channel.choices)


def return_methods() -> dict[str, str]:
    return _choices_by_key(RETURN_WORDS, RETURN_ALIASES, Dossier.ReturnMethod.choices)


def states() -> dict[str, str]:
    words = {word: state for state, spellings in STATE_WORDS.items() for word in spellings}
    return _choices_by_key({}, words, Dossier.State.choices)


def parse_state(value, known: dict[str, str]) -> str | None:
    key = _key(value)
    if key in known:
        return known[key]
    key = DOSSIER_PREFIX.sub("", TIMING_SUFFIX.sub("", key))
    return known.get(key)


@dataclass(frozen=True)
class _Lookups:
    channels: dict[str, str]
    return_methods: dict[str, str]
    states: dict[str, str]


def _date_text(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def _dated_cell(cell, column: str, reasons: list[str], *, parse, message):
    """`parse` of the column's cell, None when empty; `message` joins `reasons` when the cell
    holds something `parse` cannot read."""
    value = cell(column)
    if value is None or value == "":
        return None
    parsed = parse(value)
    if parsed is None and cell_text(value):
        reasons.append(str(message) % {"column": LABELS[column], "value": cell_text(value)})
    return parsed


def _moment_cell(cell, column: str, reasons: list[str]) -> datetime | None:
    return _dated_cell(cell, column, reasons, parse=parse_moment, message=BAD_MOMENT)


def _day_cell(cell, column: str, reasons: list[str]) -> date | None:
    return _dated_cell(cell, column, reasons, parse=parse_day, message=BAD_DAY)


def _choice_cell(cell, column: str, known: dict, default: str, message, reasons) -> str:
    text = cell_text(cell(column))
    if not text:
        return default
    value = known.get(_key(text))
    if value is None:
        reasons.append(str(message) % {"value": text})
        return default
    return value


def _infer_state(result_ready_at, returned_at) -> str:
    if returned_at is not None:
        return Dossier.State.RETURNED
    if result_ready_at is not None:
        return Dossier.State.RESULT_READY
    return Dossier.State.RECEIVED


def _check_dates(
    state: str, received_at, due_date, result_ready_at, returned_at, original_due_date
) -> list[str]:
    """The dates agree with each other and with the state (DB constraints among them)."""
    reasons = []
    finished = state in (Dossier.State.RESULT_READY, Dossier.State.RETURNED)
    if state == Dossier.State.RETURNED and returned_at is None:
        reasons.append(_("Hồ sơ đã trả kết quả phải có ngày trả kết quả."))
    if state == Dossier.State.RESULT_READY and result_ready_at is None:
        reasons.append(_("Hồ sơ có kết quả phải có ngày có kết quả."))
    if result_ready_at is not None and not finished:
        reasons.append(
            _("Có ngày có kết quả nhưng trạng thái là “%(state)s”.")
            % {"state": Dossier.State(state).label}
        )
    if returned_at is not None and state != Dossier.State.RETURNED:
        reasons.append(
            _("Có ngày trả kết quả nhưng trạng thái là “%(state)s”.")
            % {"state": Dossier.State(state).label}
        )
    if received_at is not None:
        for moment, column in ((result_ready_at, "result_ready_at"), (returned_at, "returned_at")):
            if moment is not None and moment < received_at:
                reasons.append(_("%(column)s trước ngày tiếp nhận.") % {"column": LABELS[column]})
    if result_ready_at is not None and returned_at is not None and returned_at < result_ready_at:
        reasons.append(_("Ngày trả kết quả trước ngày có kết quả."))
    if original_due_date is not None:
        if due_date is None:
            reasons.append(
                _("Có ngày hẹn trả ban đầu thì phải ghi cả ngày hẹn trả (ngày hẹn lại).")
            )
        elif original_due_date >= due_date:
            reasons.append(
                _("Ngày hẹn trả ban đầu %(original)s phải trước ngày hẹn trả %(due)s.")
                % {"original": _date_text(original_due_date), "due": _date_text(due_date)}
            )
    return reasons


def _check_row(number: int, cells: list, columns: dict[str, int], lookups: _Lookups):
    cell = tabular.column_getter(cells, columns)
    reasons: list[str] = []

    code = cell_text(cell("code"))
    if not code:
        reasons.append(_("Thiếu mã hồ sơ."))
    elif len(code) > CODE_MAX:
        reasons.append(_("Mã hồ sơ dài quá %(max)d ký tự.") % {"max": CODE_MAX})

    procedure_code = cell_text(cell("procedure_code"))
    if not procedure_code:
        reasons.append(_("Thiếu mã thủ tục."))

    name = cell_text(cell("applicant_name"))
    if not name:
        reasons.append(_("Thiếu tên người nộp."))
    elif len(name) > NAME_MAX:
        reasons.append(_("Tên người nộp dài quá %(max)d ký tự.") % {"max": NAME_MAX})

    phone_text = cell_text(cell("applicant_phone"))
    phone = normalise_phone(phone_text)
    if not phone_text:
        reasons.append(_("Thiếu số điện thoại."))
    elif phone is None:
        reasons.append(
            _("Số điện thoại “%(value)s” phải gồm 10 chữ số, bắt đầu bằng 0 (hoặc +84).")
            % {"value": phone_text}
        )

    address = cell_text(cell("applicant_address"))
    if len(address) > ADDRESS_MAX:
        reasons.append(_("Địa chỉ dài quá %(max)d ký tự.") % {"max": ADDRESS_MAX})

    channel = _choice_cell(
        cell,
        "channel",
        lookups.channels,
        Dossier.Channel.DESK,
        BAD_CHANNEL,
        reasons,
    )
    return_method = _choice_cell(
        cell,
        "return_method",
        lookups.return_methods,
        Dossier.ReturnMethod.DESK,
        BAD_RETURN_METHOD,
        reasons,
    )

    received_at = _moment_cell(cell, "received_at", reasons)
    if received_at is None and not cell_text(cell("received_at")):
        reasons.append(_("Thiếu ngày tiếp nhận."))
    due_date = _day_cell(cell, "due_date", reasons)
    result_ready_at = _moment_cell(cell, "result_ready_at", reasons)
    returned_at = _moment_cell(cell, "returned_at", reasons)
    original_due_date = _day_cell(cell, "original_due_date", reasons)

    state_text = cell_text(cell("state"))
    if state_text:
        state = parse_state(state_text, lookups.states)
        if state is None:
            reasons.append(
                _("Trạng thái “%(value)s” không rõ; hãy dùng một trong: %(choices)s.")
                % {"value": state_text, "choices": ", ".join(map(str, Dossier.State.labels))}
            )
    else:
        state = _infer_state(result_ready_at, returned_at)
    if state is not None:
        if state == Dossier.State.RETURNED and result_ready_at is None:
            # Some systems only record the handing over; the result was ready by then.
            result_ready_at = returned_at
        reasons.extend(
            _check_dates(
                state, received_at, due_date, result_ready_at, returned_at, original_due_date
            )
        )

    if reasons:
        return reasons
    return DossierRow(
        row=number,
        code=code,
        procedure_code=procedure_code,
        applicant_name=name,
        applicant_phone=phone,
        applicant_address=address,
        channel=channel,
        received_at=received_at,
        due_date=due_date,
        result_ready_at=result_ready_at,
        returned_at=returned_at,
        state=state,
        return_method=return_method,
        original_due_date=original_due_date,
        note="\n".join(tabular.cell_lines(cell("note"))),
    )


def read_dossier_rows(file: BinaryIO, filename: str) -> Iterator[DossierRow | RowError]:
    """Each data row of a province's export, checked: a DossierRow, or a RowError.

    A code repeated in the file is refused on its later rows. Raises ImportFileError for a
    file that cannot be used at all (possibly after some rows: the caller rolls back).
    """
    rows = tabular.read_table(file, filename)
    columns = tabular.find_header(
        rows,
        HEADERS,
        required=["code", "procedure_code"],
        missing=_(
            "Không tìm thấy cột “Mã hồ sơ” và “Mã thủ tục” ở dòng tiêu đề. "
            "Hãy dùng tệp mẫu của trang nhập hồ sơ."
        ),
    )
    lookups = _Lookups(channels(), return_methods(), states())
    seen: dict[str, int] = {}
    for number, cells in tabular.data_rows(rows, max_rows=MAX_DATA_ROWS):
        checked = _check_row(number, cells, columns, lookups)
        if isinstance(checked, list):
            yield RowError(row=number, reason=" ".join(checked))
            continue
        if checked.code in seen:
            yield RowError(
                row=number,
                reason=_("Mã hồ sơ “%(code)s” trùng với dòng %(row)d.")
                % {"code": checked.code, "row": seen[checked.code]},
            )
            continue
        seen[checked.code] = number
        yield checked


# --- writing -----------------------------------------------------------------------------


def _local(moment: datetime | None) -> datetime | None:
    """Excel has no time zones: the local time, without one."""
    return moment.astimezone(LOCAL_TZ).replace(tzinfo=None) if moment else None


def _moment_text(moment: datetime | None) -> str:
    return f"{moment.astimezone(LOCAL_TZ):%d/%m/%Y %H:%M}" if moment else ""


def dossier_cells(dossier: Dossier, *, as_text: bool) -> list:
    """A dossier (procedure selected) in the import's columns; dates as text for CSV."""
    moment = _moment_text if as_text else _local
    day = _date_text if as_text else (lambda value: value)
    return [
        dossier.code,
        dossier.procedure.code,
        dossier.applicant_name,
        dossier.applicant_phone,
        dossier.applicant_address,
        str(CHANNEL_WORDS[dossier.channel]),
        moment(dossier.received_at),
        day(dossier.due_date),
        moment(dossier.result_ready_at),
        moment(dossier.returned_at),
        dossier.get_state_display(),
        str(RETURN_WORDS[dossier.return_method]),
        day(dossier.original_due_date),
        dossier.note,
    ]


WIDTHS = (22, 12, 26, 13, 30, 12, 17, 12, 17, 17, 20, 20, 12, 30, 20)
MOMENT_COLUMNS = ("G", "I", "J")
DAY_COLUMNS = ("H", "M")


def _workbook(rows: Iterable[list], extra_headers: list[str]) -> Workbook:
    workbook = Workbook()
    sheet = tabular.start_sheet(workbook, _("Hồ sơ"), headers() + extra_headers, WIDTHS)
    for row in rows:
        tabular.append_text_row(sheet, row)
        number = sheet.max_row
        for column in MOMENT_COLUMNS:
            sheet[f"{column}{number}"].number_format = "dd/mm/yyyy hh:mm"
        for column in DAY_COLUMNS:
            sheet[f"{column}{number}"].number_format = "dd/mm/yyyy"
    return workbook


def _rows(dossiers: Iterable[Dossier], *, as_text: bool, with_commune: bool) -> Iterator[list]:
    for dossier in dossiers:
        row = dossier_cells(dossier, as_text=as_text)
        if with_commune:
            row.append(dossier.commune.name)
        yield row


def _extra(with_commune: bool) -> list[str]:
    return [_("Xã, phường")] if with_commune else []


def dossiers_xlsx(dossiers: Iterable[Dossier], *, with_commune: bool = False) -> bytes:
    """Dossiers in the import's columns; with_commune adds the commune as a last column."""
    rows = _rows(dossiers, as_text=False, with_commune=with_commune)
    return tabular.workbook_bytes(_workbook(rows, _extra(with_commune)))


def dossiers_csv(dossiers: Iterable[Dossier], *, with_commune: bool = False) -> bytes:
    rows = _rows(dossiers, as_text=True, with_commune=with_commune)
    return tabular.csv_bytes([headers() + _extra(with_commune), *rows])


def dossier_template_xlsx() -> bytes:
    """The header row, two example rows, and a sheet that explains the columns."""
    examples = [
        [
            "000.00.21.H27-250303-0001",
            "1.001193",
            "Nguyễn Văn An",
            "0912 345 678",
            _("Thôn Đông, xã Kiến Minh"),
            str(CHANNEL_WORDS[Dossier.Channel.DESK]),
            "03/03/2025 09:05",
            "06/03/2025",
            "05/03/2025 16:20",
            "06/03/2025 08:15",
            str(Dossier.State.RETURNED.label),
            str(RETURN_WORDS[Dossier.ReturnMethod.DESK]),
            "",
            "",
        ],
        [
            "000.00.21.H27-250304-0007",
            "1.004873",
            "Trần Thị Bình",
            "+84 987 654 321",
            "",
            str(CHANNEL_WORDS[Dossier.Channel.ONLINE]),
            "04/03/2025",
            "14/03/2025",
            "",
            "",
            str(Dossier.State.IN_PROGRESS.label),
            str(RETURN_WORDS[Dossier.ReturnMethod.POST]),
            "11/03/2025",
            _("Hẹn lại vì chờ xác minh"),
        ],
    ]
    workbook = _workbook(examples, [])
    state_words = ", ".join(map(str, Dossier.State.labels))
    tabular.add_guide(
        workbook,
        _("Hướng dẫn"),
        [
            (_("Mã hồ sơ"), _("Bắt buộc; mã trên hệ thống một cửa của tỉnh, không trùng.")),
            (_("Mã thủ tục"), _("Bắt buộc; mã thủ tục đã có trong danh mục thủ tục của xã.")),
            (_("Tên người nộp"), _("Bắt buộc.")),
            (
                _("Số điện thoại"),
                _("Bắt buộc; 10 chữ số, có thể viết +84 hoặc 84 ở đầu và có dấu cách."),
            ),
            (_("Địa chỉ"), _("Không bắt buộc.")),
            (_("Kênh nộp"), _("trực tiếp, trực tuyến hoặc bưu chính; bỏ trống là trực tiếp.")),
            (
                _("Ngày tiếp nhận"),
                _("Bắt buộc; dd/mm/yyyy HH:MM hoặc dd/mm/yyyy (không có giờ là đầu ngày)."),
            ),
            (
                _("Ngày hẹn trả"),
                _("dd/mm/yyyy; bỏ trống thì tính theo thời hạn của thủ tục và ngày làm việc."),
            ),
            (
                _("Ngày có kết quả"),
                _("dd/mm/yyyy HH:MM; dùng để tính trước hạn, đúng hạn, quá hạn."),
            ),
            (_("Ngày trả kết quả"), _("dd/mm/yyyy HH:MM; bắt buộc khi đã trả kết quả.")),
            (
                _("Trạng thái"),
                _(
                    "Một trong: %(states)s; hoặc từ quen dùng như Mới tiếp nhận, Đang xử lý, "
                    "Chờ bổ sung, Đã có kết quả, Đã trả kết quả, Từ chối, Rút hồ sơ. "
                    "Bỏ trống thì suy ra từ các ngày."
                )
                % {"states": state_words},
            ),
            (
                _("Hình thức trả"),
                _("tại bộ phận một cửa hoặc bưu chính; bỏ trống là tại bộ phận một cửa."),
            ),
            (_("Ngày hẹn trả ban đầu"), _("Chỉ ghi khi hồ sơ đã được hẹn lại ngày trả.")),
            (_("Ghi chú"), _("Không bắt buộc.")),
            (
                _("Lưu ý"),
                _(
                    "Hồ sơ đã có cùng mã sẽ được cập nhật; nhập lại cùng tệp không đổi gì. "
                    "Không gửi tin nhắn cho người dân khi nhập."
                ),
            ),
        ],
    )
    return tabular.workbook_bytes(workbook)


__all__ = [
    "COLUMNS",
    "DossierRow",
    "ImportFileError",
    "RowError",
    "dossier_template_xlsx",
    "dossiers_csv",
    "dossiers_xlsx",
    "normalise_phone",
    "read_dossier_rows",
]
