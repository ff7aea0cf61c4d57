"""The feedback dashboard as an XLSX workbook: a summary sheet, one sheet per breakdown
(channel, category, hamlet, month) and the oldest open items.

Counts are numbers and shares are numbers formatted as percentages (0.25 shown as 25,0 %),
so officials can sort, sum and chart them in Excel.
"""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from thanthien.core.tabular import append_text_row, workbook_bytes
from thanthien.core.workdays import LOCAL_TZ
from thanthien.feedback.dashboard import BreakdownRow, Counts, Dashboard

PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "DD/MM/YYYY"


def _bold_header(sheet, headers: list[str], widths: list[int]) -> None:
    sheet.append(headers)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    # A coordinate, not sheet.cell(): that would create an empty row under the header.
    sheet.freeze_panes = f"B{sheet.max_row + 1}"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def breakdown_headers(first: str) -> list[str]:
    return [
        first,
        _("Tiếp nhận"),
        _("Đã trả lời"),
        _("Trả lời đúng hạn"),
        _("Quá hạn"),
        _("Chưa đến hạn"),
        _("Trùng, đã gộp"),
        _("Chuyển hướng"),
        _("Đang xử lý"),
        _("Đang quá hạn"),
        _("% đúng hạn"),
        _("Lượt đánh giá"),
        _("Hài lòng"),
        _("% hài lòng"),
        _("Khoảng tin cậy 95% — thấp"),
        _("Khoảng tin cậy 95% — cao"),
    ]


PERCENT_COLUMNS = (11, 14, 15, 16)


def _values(label: str, counts: Counts) -> list:
    satisfaction = counts.satisfaction
    low, high = satisfaction.interval
    return [
        label,
        counts.received,
        counts.answered,
        counts.on_time,
        counts.late,
        counts.pending,
        counts.merged,
        counts.redirected,
        counts.open,
        counts.overdue,
        counts.on_time_ratio,
        satisfaction.rated,
        satisfaction.satisfied,
        satisfaction.share,
        low,
        high,
    ]


def _append_row(sheet, label: str, counts: Counts, *, bold: bool = False) -> None:
    append_text_row(sheet, _values(label, counts))
    for column in PERCENT_COLUMNS:
        sheet.cell(row=sheet.max_row, column=column).number_format = PERCENT_FORMAT
    if bold:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)


def _breakdown_sheet(workbook: Workbook, title: str, first: str, rows: list[BreakdownRow], total):
    sheet = workbook.create_sheet(title[:31])
    _bold_header(sheet, breakdown_headers(first), [40] + [13] * 15)
    for row in rows:
        _append_row(sheet, row.label, row.counts)
    _append_row(sheet, _("Tổng cộng"), total, bold=True)


def _oldest_sheet(workbook: Workbook, dashboard: Dashboard) -> None:
    sheet = workbook.create_sheet(_("Tồn lâu nhất")[:31])
    headers = [
        _("Mã theo dõi"),
        _("Tiêu đề"),
        _("Lĩnh vực"),
        _("Kênh"),
        _("Trạng thái"),
        _("Ngày nhận"),
        _("Hạn trả lời"),
        _("Số ngày đã chờ"),
        _("Số ngày quá hạn"),
        _("Thôn, tổ dân phố"),
        _("Xã"),
        _("Cán bộ xử lý"),
    ]
    _bold_header(sheet, headers, [22, 48, 20, 20, 16, 12, 12, 10, 10, 18, 18, 22])
    for item in dashboard.oldest_open:
        append_text_row(
            sheet,
            [
                item.code,
                item.title,
                item.category_label,
                item.source_label,
                item.status_label,
                item.received_at.astimezone(LOCAL_TZ).date(),
                item.due_date,
                item.age_days,
                item.overdue_days,
                item.hamlet,
                item.commune,
                item.assignee,
            ],
        )
        for column in (6, 7):
            sheet.cell(row=sheet.max_row, column=column).number_format = DATE_FORMAT


def dashboard_xlsx(dashboard: Dashboard, *, scope_label: str, filters: list[str]) -> bytes:
    """The workbook: "Tổng hợp" (the period and today's open items), then by channel,
    category, hamlet, month, and the oldest open items."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Tổng hợp")
    _bold_header(summary, [_("Chỉ tiêu"), _("Giá trị")], [52, 18])
    append_text_row(summary, [_("Phạm vi"), scope_label])
    if filters:
        append_text_row(summary, [_("Lọc theo"), "; ".join(filters)])
    for label, value in (
        (_("Từ ngày"), dashboard.start),
        (_("Đến ngày"), dashboard.end),
        (_("Ngày lập"), dashboard.today),
    ):
        summary.append([label, value])
        summary.cell(row=summary.max_row, column=2).number_format = DATE_FORMAT
    total, open_counts = dashboard.total, dashboard.open_counts
    for label, value in (
        (_("Ý kiến tiếp nhận trong kỳ"), total.received),
        (_("Đã trả lời"), total.answered),
        (_("Trả lời đúng hạn"), total.on_time),
        (_("Quá hạn (trả lời muộn hoặc đang quá hạn)"), total.late),
        (_("Trùng, đã gộp"), total.merged),
        (_("Chuyển hướng xử lý"), total.redirected),
        (_("Lượt đánh giá câu trả lời"), total.rated),
        (_("Hài lòng"), total.satisfied),
        (_("Đang xử lý (hôm nay)"), open_counts.open),
        (_("Mới nhận, chưa phân loại"), open_counts.new),
        (_("Đang quá hạn (hôm nay)"), open_counts.overdue),
        (_("Sắp đến hạn (2 ngày làm việc)"), open_counts.due_soon),
    ):
        summary.append([label, value])
    for label, value in (
        (_("Tỷ lệ trả lời đúng hạn"), total.on_time_ratio),
        (_("Tỷ lệ hài lòng"), total.satisfaction.share),
    ):
        summary.append([label, value])
        summary.cell(row=summary.max_row, column=2).number_format = PERCENT_FORMAT

    for title, first, rows in (
        (_("Theo kênh"), _("Kênh tiếp nhận"), dashboard.by_source),
        (_("Theo lĩnh vực"), _("Lĩnh vực"), dashboard.by_category),
        (_("Theo thôn"), _("Thôn, tổ dân phố"), dashboard.by_hamlet),
        (_("Theo tháng"), _("Tháng tiếp nhận"), dashboard.by_month),
    ):
        _breakdown_sheet(workbook, title, first, rows, total)
    _oldest_sheet(workbook, dashboard)
    return workbook_bytes(workbook)
