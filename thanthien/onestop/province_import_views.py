"""Staff pages for dossiers kept in a province's one-stop system: import, template, export."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from thanthien.core import tabular
from thanthien.core.forms import TabularImportForm
from thanthien.core.staff import download_response, require_perm, staff_required, tabular_import
from thanthien.onestop import province_import_io
from thanthien.onestop.province_import import (
    IMPORTER_ROLES,
    dossiers_for_export,
    dossiers_import,
)
from thanthien.onestop.selectors import shows_several_communes


class DossierImportForm(TabularImportForm):
    file_label = _("Tệp hồ sơ xuất từ hệ thống một cửa của tỉnh (.xlsx hoặc .csv)")
    file_help = _("Mỗi dòng một hồ sơ, theo các cột của tệp mẫu. Tối đa 5 MB.")


def _import(*, commune, file, filename, user):
    return dossiers_import(actor=user, commune=commune, file=file, filename=filename)


@staff_required(IMPORTER_ROLES)
def dossier_import(request):
    require_perm(request.user, "onestop.add_dossier")
    form, report = tabular_import(request, form_class=DossierImportForm, service=_import)
    return render(request, "onestop/province_import.html", {"form": form, "report": report})


@staff_required(IMPORTER_ROLES)
def dossier_import_template(request):
    require_perm(request.user, "onestop.add_dossier")
    content = province_import_io.dossier_template_xlsx()
    return download_response(content, tabular.XLSX_CONTENT_TYPE, "mau-nhap-ho-so.xlsx")


def _export(request, write, content_type: str, filename: str):
    """The user's dossiers as a file `write` makes; with their commune when they see several."""
    require_perm(request.user, "onestop.view_dossier")
    dossiers = dossiers_for_export(user=request.user).iterator(chunk_size=2000)
    content = write(dossiers, with_commune=shows_several_communes(request.user))
    return download_response(content, content_type, filename)


@staff_required(IMPORTER_ROLES)
def dossier_export_xlsx(request):
    return _export(
        request, province_import_io.dossiers_xlsx, tabular.XLSX_CONTENT_TYPE, "ho-so-mot-cua.xlsx"
    )


@staff_required(IMPORTER_ROLES)
def dossier_export_csv(request):
    return _export(
        request, province_import_io.dossiers_csv, tabular.CSV_CONTENT_TYPE, "ho-so-mot-cua.csv"
    )
