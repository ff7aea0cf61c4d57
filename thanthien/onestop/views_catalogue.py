"""Staff pages of the procedure catalogue: the list, its exports, the import and its template."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from thanthien.core import tabular
from thanthien.core.staff import staff_required
from thanthien.onestop import catalogue_io, selectors
from thanthien.onestop.catalogue import procedures_import
from thanthien.onestop.forms import ProcedureImportForm

PAGE_SIZE = 50


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def _filters(request) -> dict[str, str]:
    return {
        "query": request.GET.get("q", "").strip(),
        "field_code": request.GET.get("field", "").strip(),
    }


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_required()
def procedure_list(request):
    _require(request.user, "onestop.view_procedure")
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
    _require(request.user, "onestop.view_procedure")
    procedures = selectors.procedure_export_list(user=request.user, **_filters(request))
    content = catalogue_io.procedures_xlsx(
        procedures, with_commune=selectors.shows_several_communes(request.user)
    )
    return _download(content, tabular.XLSX_CONTENT_TYPE, "thu-tuc-hanh-chinh.xlsx")


@staff_required()
def procedure_export_csv(request):
    _require(request.user, "onestop.view_procedure")
    procedures = selectors.procedure_export_list(user=request.user, **_filters(request))
    content = catalogue_io.procedures_csv(
        procedures, with_commune=selectors.shows_several_communes(request.user)
    )
    return _download(content, tabular.CSV_CONTENT_TYPE, "thu-tuc-hanh-chinh.csv")


@staff_required()
def procedure_template(request):
    content = catalogue_io.procedure_template_xlsx()
    return _download(content, tabular.XLSX_CONTENT_TYPE, "mau-thu-tuc-hanh-chinh.xlsx")


@staff_required()
def procedure_import(request):
    _require(request.user, "onestop.add_procedure")
    report = None
    if request.method == "POST":
        form = ProcedureImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            report = procedures_import(
                commune=form.chosen_commune(),
                file=upload,
                filename=upload.name,
                user=request.user,
            )
    else:
        form = ProcedureImportForm(user=request.user)
    return render(request, "onestop/staff_procedure_import.html", {"form": form, "report": report})
