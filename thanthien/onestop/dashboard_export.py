"""The desk dashboard as an XLSX workbook: a summary sheet and one sheet per breakdown.

Counts are numbers and shares are numbers formatted as percentages (0.25 shown as 25,0 %),
so officials can sort, sum and chart them in Excel.
"""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from thanthien.core.tabular import append_text_row, workbook_bytes
from thanthien.onestop.dashboard import BreakdownRow, Dashboard

PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "DD/MM/YYYY"


def _bold_header(sheet, headers: list[str], widths: list[int]) -> None:
    sheet.append(headers)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = sheet.cell(row=sheet.max_row + 1, column=2).coordinate
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def breakdown_headers(first: str) -> list[str]:
    columns = [
        _("Đã đánh giá"),
        _("Trước hạn"),
        _("Đúng hạn"),
        _("Quá hạn"),
        _("% trước hạn"),
        _("% đúng hạn"),
        _("% quá hạn"),
    ]
    original = [_("%(column)s (hạn ban đầu)") % {"column": column} for column in columns]
    return [first, _("Tiếp nhận"), *columns, *original]


PERCENT_COLUMNS = (7, 8, 9, 14, 15, 16)


def _breakdown_values(row: BreakdownRow) -> list:
    values = [row.label, row.received]
    for shares in (row.current, row.original):
        values += [shares.judged, *shares.values()]
        values += [shares.early_ratio, shares.on_time_ratio, shares.late_ratio]
    return values


def _append_breakdown_row(sheet, row: BreakdownRow, *, bold: bool = False) -> None:
    append_text_row(sheet, _breakdown_values(row))
    for column in PERCENT_COLUMNS:
        sheet.cell(row=sheet.max_row, column=column).number_format = PERCENT_FORMAT
    if bold:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)


def _breakdown_sheet(workbook: Workbook, title: str, first: str, rows, total) -> None:
    sheet = workbook.create_sheet(title[:31])
    _bold_header(sheet, breakdown_headers(first), [48] + [14] * 15)
    for row in rows:
        _append_breakdown_row(sheet, row)
    _append_breakdown_row(sheet, total, bold=True)


def dashboard_xlsx(dashboard: Dashboard, *, scope_label: str) -> bytes:
    """The workbook: "Tổng hợp" (today and the period), then by procedure, field, official,
    month; each sheet with a bold header row and percentages as numbers."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Tổng hợp")
    _bold_header(summary, [_("Chỉ tiêu"), _("Giá trị")], [52, 18])
    counts = dashboard.counts
    append_text_row(summary, [_("Phạm vi"), scope_label])
    for label, value in (
        (_("Từ ngày"), dashboard.start),
        (_("Đến ngày"), dashboard.end),
        (_("Ngày lập"), dashboard.today),
    ):
        summary.append([label, value])
        summary.cell(row=summary.max_row, column=2).number_format = DATE_FORMAT
    for label, value in (
        (_("Tiếp nhận hôm nay"), counts.received),
        (_("Có kết quả hôm nay"), counts.result_ready),
        (_("Trả kết quả hôm nay"), counts.returned),
        (_("Đang giải quyết (chưa có kết quả)"), counts.open),
        (_("Có kết quả, chờ trả"), counts.waiting_return),
        (_("Đến hạn hôm nay"), counts.due_today),
        (_("Đến hạn trong một ngày làm việc"), counts.due_soon),
        (_("Đang quá hạn"), counts.late),
        (_("Tiếp nhận trong kỳ"), dashboard.total.received),
    ):
        summary.append([label, value])
    summary.append([])
    header_row = summary.max_row + 1
    summary.append(breakdown_headers(_("Trong kỳ")))
    for cell in summary[header_row]:
        cell.font = Font(bold=True)
    _append_breakdown_row(summary, dashboard.total, bold=True)

    for title, first, rows in (
        (_("Theo thủ tục"), _("Thủ tục"), dashboard.by_procedure),
        (_("Theo lĩnh vực"), _("Lĩnh vực"), dashboard.by_field),
        (_("Theo cán bộ"), _("Cán bộ xử lý"), dashboard.by_official),
        (_("Theo tháng"), _("Tháng tiếp nhận"), dashboard.by_month),
    ):
        _breakdown_sheet(workbook, title, first, rows, dashboard.total)
    return workbook_bytes(workbook)
