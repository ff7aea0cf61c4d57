"""Hamlet spreadsheets for officials: the import template and the exported list.

The export uses the template's columns, so an exported file can be edited and imported back.
"""

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from thanthien.places.models import Hamlet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _columns() -> list[str]:
    return [_("Tên thôn"), _("Loại"), _("Trưởng thôn"), _("Số hộ")]


def _start(workbook: Workbook, headers: list[str]):
    sheet = workbook.active
    sheet.title = _("Danh sách thôn")
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDE", (30, 16, 30, 10, 30), strict=False):
        sheet.column_dimensions[letter].width = width
    return sheet


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def hamlet_template_xlsx() -> bytes:
    """An empty list with the header row, and a second sheet that explains the columns."""
    workbook = Workbook()
    _start(workbook, _columns())
    guide = workbook.create_sheet(_("Hướng dẫn"))
    guide.append([_("Cột"), _("Cách điền")])
    guide.append([_("Tên thôn"), _("Bắt buộc; không trùng nhau trong tệp.")])
    guide.append(
        [
            _("Loại"),
            _("Một trong: %(kinds)s. Bỏ trống thì là Thôn.")
            % {"kinds": ", ".join(map(str, Hamlet.Kind.labels))},
        ]
    )
    guide.append([_("Trưởng thôn"), _("Họ và tên, có thể bỏ trống.")])
    guide.append([_("Số hộ"), _("Số nguyên không âm; bỏ trống thì là 0.")])
    guide.append(
        [_("Lưu ý"), _("Thôn đã có cùng tên sẽ được cập nhật; nhập lại cùng tệp không đổi gì.")]
    )
    for cell in guide[1]:
        cell.font = Font(bold=True)
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 80
    return _save(workbook)


def hamlets_xlsx(hamlets: Iterable[Hamlet], *, with_commune: bool) -> bytes:
    """The hamlets in the template's columns; with_commune adds the commune as a last column."""
    workbook = Workbook()
    headers = _columns() + ([_("Xã, phường")] if with_commune else [])
    sheet = _start(workbook, headers)
    for hamlet in hamlets:
        row = [hamlet.name, hamlet.get_kind_display(), hamlet.head_name, hamlet.household_count]
        if with_commune:
            row.append(hamlet.commune.name)
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # a name typed as "=…" stays text, never a formula
                cell.data_type = "s"
    return _save(workbook)
