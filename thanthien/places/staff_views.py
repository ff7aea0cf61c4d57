"""Staff pages for hamlets: the list, its export, the import and its template."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from thanthien.core.staff import staff_required
from thanthien.places import exports, selectors
from thanthien.places.forms import HamletImportForm
from thanthien.places.services import hamlets_import

PAGE_SIZE = 50


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_required()
def hamlet_list(request):
    _require(request.user, "places.view_hamlet")
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
    _require(request.user, "places.view_hamlet")
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
    _require(request.user, "places.add_hamlet")
    report = None
    if request.method == "POST":
        form = HamletImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            report = hamlets_import(
                commune=form.chosen_commune(),
                file=upload,
                filename=upload.name,
                user=request.user,
            )
    else:
        form = HamletImportForm(user=request.user)
    context = {"form": form, "report": report}
    return render(request, "places/hamlet_import.html", context)
