"""Staff pages of the procedure catalogue: the list, its exports, the import and its template."""

from django.core.paginator import Paginator
from django.shortcuts import render

from thanthien.core import tabular
from thanthien.core.staff import download_response, require_perm, staff_required, tabular_import
from thanthien.onestop import catalogue_io, selectors
from thanthien.onestop.catalogue import procedures_import
from thanthien.onestop.forms import ProcedureImportForm

PAGE_SIZE = 50


def _filters(request) -> dict[str, str]:
    return {
        "query": request.GET.get("q", "").strip(),
        "field_code": request.GET.get("field", "").strip(),
    }


@staff_required()
def procedure_list(request):
    require_perm(request.user, "onestop.view_procedure")
    filters = _filters(request)
    procedures = selectors.procedure_staff_list(user=request.user, **filters)
    page = Paginator(procedures, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        **filters,
        "page": page,
        "cards": selectors.procedure_cards(page.object_list),
        "fields": selectors.procedure_fields(),
        "with_commune": selectors.shows_several_communes(request.user),
        "can_import": request.user.has_perm("onestop.add_procedure"),
    }
    return render(request, "onestop/staff_procedure_list.html", context)


@staff_required()
def procedure_export_xlsx(request):
    require_perm(request.user, "onestop.view_procedure")
    procedures = selectors.procedure_export_list(user=request.user, **_filters(request))
    content = catalogue_io.procedures_xlsx(
        procedures, with_commune=selectors.shows_several_communes(request.user)
    )
    return download_response(content, tabular.XLSX_CONTENT_TYPE, "thu-tuc-hanh-chinh.xlsx")


@staff_required()
def procedure_export_csv(request):
    require_perm(request.user, "onestop.view_procedure")
    procedures = selectors.procedure_export_list(user=request.user, **_filters(request))
    content = catalogue_io.procedures_csv(
        procedures, with_commune=selectors.shows_several_communes(request.user)
    )
    return download_response(content, tabular.CSV_CONTENT_TYPE, "thu-tuc-hanh-chinh.csv")


@staff_required()
def procedure_template(request):
    content = catalogue_io.procedure_template_xlsx()
    return download_response(content, tabular.XLSX_CONTENT_TYPE, "mau-thu-tuc-hanh-chinh.xlsx")


@staff_required()
def procedure_import(request):
    require_perm(request.user, "onestop.add_procedure")
    form, report = tabular_import(
        request, form_class=ProcedureImportForm, service=procedures_import
    )
    return render(request, "onestop/staff_procedure_import.html", {"form": form, "report": report})
