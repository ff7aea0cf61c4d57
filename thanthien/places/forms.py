"""Forms of the places staff pages."""

from django.utils.translation import gettext_lazy as _

from thanthien.core.forms import TabularImportForm


class HamletImportForm(TabularImportForm):
    file_label = _("Tệp danh sách thôn (.xlsx hoặc .csv)")
    file_help = _("Các cột: Tên thôn, Loại, Trưởng thôn, Số hộ. Tối đa 5 MB.")
