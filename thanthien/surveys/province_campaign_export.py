"""XLSX export of a province campaign's results: a summary, the index of every commune
(overall and per SIPAS factor) and the province's index per factor.

Counts and indices only: no phone number, no respondent's name, no free-text answer.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from thanthien.core.tabular import append_text_row
from thanthien.surveys.province_campaign_selectors import ProvinceResults
from thanthien.surveys.results import FACTOR_LABELS
from thanthien.surveys.results_export import (
    PERCENT,
    _index_cells,
    _index_header,
    _percent_columns,
    _save,
    _sheet,
)


def province_results_xlsx(results: ProvinceResults) -> bytes:
    book = Workbook()
    parent = results.province_campaign
    summary = _sheet(book, _("Tổng hợp"), [_("Mục"), _("Giá trị")])
    for label, value in [
        (_("Đợt khảo sát"), parent.title),
        (_("Tỉnh, thành phố"), str(parent.province)),
        (_("Từ ngày"), f"{parent.starts_on:%d/%m/%Y}"),
        (_("Đến ngày"), f"{parent.ends_on:%d/%m/%Y}"),
        (_("Số xã"), len(results.communes)),
        (_("Số phiếu trả lời"), results.responses),
        (_("Số phiếu cần đạt"), results.target_sample),
        (_("Mục tiêu hài lòng"), float(results.target)),
        (_("Tỷ lệ hài lòng chung"), results.overall.index.share),
        (_("Số câu trả lời về mức hài lòng"), results.overall.index.n),
        (_("So với mục tiêu"), results.overall.verdict_label),
    ]:
        append_text_row(summary, [label, value])
    for row_number in (9, 10):
        summary.cell(row=row_number, column=2).number_format = PERCENT

    factor_names = [str(label) for label in FACTOR_LABELS.values()]
    sheet = _sheet(
        book,
        _("Theo xã"),
        [
            _("Xã, phường"),
            _("Trạng thái"),
            _("Số phiếu"),
            _("Số phiếu cần đạt"),
            *_index_header()[1:],
            *[_("Tỷ lệ hài lòng — %(factor)s") % {"factor": name} for name in factor_names],
        ],
    )
    for row in results.communes:
        append_text_row(
            sheet,
            [
                row.commune_name,
                row.campaign.get_state_display(),
                row.responses,
                row.target_sample or None,
                *_index_cells(row.overall),
                *[factor.index.share for factor in row.factors],
            ],
        )
    first_factor = 5 + len(_index_header()[1:])
    _percent_columns(sheet, [7, 8, 9, *range(first_factor, first_factor + len(factor_names))])

    sheet = _sheet(book, _("Theo yếu tố"), _index_header())
    for row in results.factors:
        append_text_row(sheet, [row.label, *_index_cells(row)])
    _percent_columns(sheet, [4, 5, 6])
    return _save(book)
