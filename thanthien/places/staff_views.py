"""Staff pages for hamlets: the list, its export, the import and its template."""

from django.core.paginator import Paginator
from django.shortcuts import render

from thanthien.core.staff import download_response, require_perm, staff_required, tabular_import
from thanthien.places import exports, selectors
from thanthien.places.forms import HamletImportForm
from thanthien.places.services import hamlets_import

PAGE_SIZE = 50


def _xlsx_response(content: bytes, filename: str):
    return download_response(content, exports.XLSX_CONTENT_TYPE, filename)


@staff_required()
def hamlet_list(request):
    require_perm(request.user, "places.view_hamlet")
    query = request.GET.get("q", "").strip()
    hamlets = selectors.hamlet_list(user=request.user, query=query)
    context = {
        "page": Paginator(hamlets, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query,
        "totals": selectors.hamlet_totals(hamlets),
        "with_commune": selectors.shows_several_communes(request.user),
        "can_import": request.user.has_perm("places.add_hamlet"),
    }
    return render(request, "places/hamlet_list.html", context)


@staff_required()
def hamlet_export(request):
    require_perm(request.user, "places.view_hamlet")
    hamlets = selectors.hamlet_list(user=request.user, query=request.GET.get("q", "").strip())
    content = exports.hamlets_xlsx(
        hamlets, with_commune=selectors.shows_several_communes(request.user)
    )
    return _xlsx_response(content, "danh-sach-thon.xlsx")


@staff_required()
def hamlet_template(request):
    return _xlsx_response(exports.hamlet_template_xlsx(), "mau-danh-sach-thon.xlsx")


@staff_required()
def hamlet_import(request):
    require_perm(request.user, "places.add_hamlet")
    form, report = tabular_import(request, form_class=HamletImportForm, service=hamlets_import)
    return render(request, "places/hamlet_import.html", {"form": form, "report": report})
