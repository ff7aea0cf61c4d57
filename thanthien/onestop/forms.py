"""Forms of the procedure catalogue staff pages."""

from django.utils.translation import gettext_lazy as _

from thanthien.core.forms import TabularImportForm


class ProcedureImportForm(TabularImportForm):
    file_label = _("Tệp danh mục thủ tục (.xlsx hoặc .csv)")
    file_help = _("Mỗi dòng một thủ tục, theo các cột của tệp mẫu. Tối đa 5 MB.")
