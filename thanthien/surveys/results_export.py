"""XLSX exports of survey and rating indices: one sheet per breakdown.

Only counts and indices are exported. No sheet ever holds a phone number, a name of a
respondent or a free-text answer, with or without the respondent's consent: the people who
agreed to be called back are reached from the response itself, not from a spreadsheet.
"""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from thanthien.core.tabular import append_text_row
from thanthien.surveys.results import CampaignResults, IndexRow, RatingIndices

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT = "0.0%"


def _sheet(book: Workbook, title: str, header: list[str]) -> Worksheet:
    # Excel caps sheet names at 31 characters and forbids a few symbols.
    clean = "".join(c for c in title if c not in "[]:*?/\\")[:31]
    sheet = book.create_sheet(clean)
    append_text_row(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column, text in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = max(12, len(text) + 2)
    sheet.column_dimensions["A"].width = 48
    return sheet


def _index_header() -> list[str]:
    return [
        _("Nhóm"),
        _("Số câu trả lời (n)"),
        _("Hài lòng và rất hài lòng"),
        _("Tỷ lệ hài lòng"),
        _("Cận dưới 95%"),
        _("Cận trên 95%"),
        _("So với mục tiêu"),
    ]


def _index_cells(row: IndexRow) -> list:
    i = row.index
    return [i.n, i.positive, i.share, i.low, i.high, row.verdict_label]


def _percent_columns(sheet: Worksheet, columns: list[int]) -> None:
    for row in sheet.iter_rows(min_row=2):
        for column in columns:
            row[column - 1].number_format = PERCENT


def _save(book: Workbook) -> bytes:
    book.remove(book.worksheets[0])  # the empty default sheet
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def campaign_results_xlsx(results: CampaignResults) -> bytes:
    book = Workbook()
    summary = _sheet(book, _("Tổng hợp"), [_("Mục"), _("Giá trị")])
    campaign = results.campaign
    for label, value in [
        (_("Đợt khảo sát"), campaign.title),
        (_("Từ ngày"), f"{campaign.starts_on:%d/%m/%Y}"),
        (_("Đến ngày"), f"{campaign.ends_on:%d/%m/%Y}"),
        (_("Số phiếu trả lời"), results.responses),
        (_("Mục tiêu hài lòng"), float(results.target)),
        (_("Tỷ lệ hài lòng chung"), results.overall.index.share),
        (_("Số câu trả lời về mức hài lòng"), results.overall.index.n),
        (_("So với mục tiêu"), results.overall.verdict_label),
    ]:
        append_text_row(summary, [label, value])
    for row_number in (6, 7):
        summary.cell(row=row_number, column=2).number_format = PERCENT

    for breakdown in results.breakdowns:
        sheet = _sheet(book, breakdown.title, _index_header())
        for row in breakdown.rows:
            append_text_row(sheet, [row.label, *_index_cells(row)])
        _percent_columns(sheet, [4, 5, 6])

    sheet = _sheet(
        book,
        _("Số phiếu theo thôn"),
        [_("Thôn, tổ dân phố"), _("Số phiếu"), _("Số phiếu cần đạt"), _("Tỷ lệ đạt")],
    )
    for count in results.hamlet_counts:
        share = count.responses / count.target if count.target else None
        append_text_row(sheet, [count.label, count.responses, count.target, share])
    _percent_columns(sheet, [4])

    if results.questions:
        sheet = _sheet(
            book,
            _("Phân bố câu trả lời"),
            [_("Mã câu hỏi"), _("Câu hỏi"), _("Lựa chọn"), _("Số phiếu"), _("Tỷ lệ")],
        )
        sheet.column_dimensions["A"].width = 24
        sheet.column_dimensions["B"].width = 60
        sheet.column_dimensions["C"].width = 36
        for question in results.questions:
            for option in question.options:
                append_text_row(
                    sheet,
                    [
                        question.question_id,
                        question.text,
                        option.label,
                        option.count,
                        None if option.percent is None else option.percent / 100,
                    ],
                )
        _percent_columns(sheet, [5])
    return _save(book)


def rating_indices_xlsx(result: RatingIndices) -> bytes:
    book = Workbook()
    header = [
        _("Nhóm"),
        _("Dịch vụ: số đánh giá"),
        _("Dịch vụ: tỷ lệ hài lòng"),
        _("Dịch vụ: cận dưới 95%"),
        _("Dịch vụ: cận trên 95%"),
        _("Dịch vụ: so với mục tiêu"),
        _("Cán bộ: số đánh giá"),
        _("Cán bộ: tỷ lệ hài lòng"),
        _("Cán bộ: cận dưới 95%"),
        _("Cán bộ: cận trên 95%"),
        _("Cán bộ: so với mục tiêu"),
    ]

    def cells(row) -> list:
        s, o = row.service, row.official
        return [
            row.label,
            s.index.n,
            s.index.share,
            s.index.low,
            s.index.high,
            s.verdict_label,
            o.index.n,
            o.index.share,
            o.index.low,
            o.index.high,
            o.verdict_label,
        ]

    summary = _sheet(book, _("Chung"), header)
    append_text_row(summary, cells(result.overall))
    append_text_row(summary, [])
    append_text_row(summary, [_("Từ ngày"), f"{result.start:%d/%m/%Y}"])
    append_text_row(summary, [_("Đến ngày"), f"{result.end:%d/%m/%Y}"])
    append_text_row(summary, [_("Mục tiêu hài lòng"), float(result.target)])
    summary.cell(row=summary.max_row, column=2).number_format = PERCENT
    for column in (3, 4, 5, 8, 9, 10):
        summary.cell(row=2, column=column).number_format = PERCENT
    for breakdown in result.breakdowns:
        sheet = _sheet(book, breakdown.title, header)
        for row in breakdown.rows:
            append_text_row(sheet, cells(row))
        _percent_columns(sheet, [3, 4, 5, 8, 9, 10])
    return _save(book)
