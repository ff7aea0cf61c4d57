"""Staff pages of the desk's printed forms: each as a print page and as DOCX (the register
also as XLSX). The content comes from one builder per form (thanthien/onestop/slips.py), so
the page and the files say the same thing.

Every page needs `onestop.view_dossier`; rows are loaded through the user's communes, so
another commune's dossier answers 404.
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from thanthien.core.documents import DOCX_CONTENT_TYPE, OfficialDocument, build_docx
from thanthien.core.staff import (
    download_response,
    register_scoped_view,
    require_perm,
    staff_required,
)
from thanthien.core.tabular import XLSX_CONTENT_TYPE
from thanthien.onestop import slips
from thanthien.onestop.dossier_selectors import dossier_for_page
from thanthien.onestop.form_sets import current_set
from thanthien.onestop.lookup import status_url
from thanthien.onestop.models import ApologySlip, Dossier, DossierSupplement
from thanthien.onestop.register_forms import RegisterFilterForm
from thanthien.onestop.slip_selectors import (
    apology_for_slip,
    month_of,
    register_counts,
    register_dossiers,
    supplement_for_slip,
)

PRINT_TEMPLATE = "core/document_print.html"
REGISTER_TEMPLATE = "onestop/slips/register.html"
# A month of a busy commune fits one page; the print CSS repeats the header on each sheet.
REGISTER_PAGE_SIZE = 200


def _can_view(user) -> None:
    require_perm(user, "onestop.view_dossier")


def _docx(document: OfficialDocument):
    return download_response(build_docx(document), DOCX_CONTENT_TYPE, f"{document.filename}.docx")


def _print_page(
    request,
    document: OfficialDocument,
    *,
    docx_url: str,
    dossier: Dossier,
    template: str = PRINT_TEMPLATE,
):
    context = {
        "doc": document,
        "docx_url": docx_url,
        "back_url": dossier.get_absolute_url(),
        "back_label": _("Quay lại hồ sơ"),
        "print_label": _("In %(title)s") % {"title": document.title.lower()},
        "dossier": dossier,
    }
    return render(request, template, context)


# --- 01 to 05: one print page and one DOCX per slip -------------------------------------


def _dossier(request, pk: int) -> Dossier:
    _can_view(request.user)
    return dossier_for_page(user=request.user, pk=pk)


def _supplement(request, pk: int) -> DossierSupplement:
    _can_view(request.user)
    return supplement_for_slip(user=request.user, pk=pk)


def _apology(request, pk: int) -> ApologySlip:
    _can_view(request.user)
    require_perm(request.user, "onestop.view_apologyslip")
    return apology_for_slip(user=request.user, pk=pk)


def _slip_views(
    *,
    load: Callable,
    build: Callable[..., OfficialDocument],
    docx_url_name: str,
    template: str = PRINT_TEMPLATE,
):
    """(print page, DOCX) of one slip. `load(request, pk)` checks the permission and finds the
    row among the user's communes (404 otherwise); `build(request, row)` makes the document.
    The page links back to the row's dossier (the row itself, or the one it belongs to)."""

    @staff_required()
    def print_page(request, pk: int):
        row = load(request, pk)
        return _print_page(
            request,
            build(request, row),
            docx_url=reverse(docx_url_name, kwargs={"pk": row.pk}),
            dossier=row if isinstance(row, Dossier) else row.dossier,
            template=template,
        )

    @staff_required()
    def docx(request, pk: int):
        return _docx(build(request, load(request, pk)))

    return print_page, docx


# The receipt's print page is served as staff:dossier_receipt (desk_views).
receipt_page, receipt_docx = _slip_views(
    load=_dossier,
    build=lambda request, dossier: slips.receipt_slip(
        dossier=dossier, status_url=status_url(dossier.code, request=request)
    ),
    docx_url_name="staff:dossier_receipt_docx",
    template="onestop/desk/receipt.html",
)
supplement_print, supplement_docx = _slip_views(
    load=_supplement,
    build=lambda request, supplement: slips.supplement_slip(supplement=supplement),
    docx_url_name="staff:supplement_slip_docx",
)
refusal_print, refusal_docx = _slip_views(
    load=_dossier,
    build=lambda request, dossier: slips.refusal_slip(dossier=dossier),
    docx_url_name="staff:dossier_refusal_slip_docx",
)
apology_print, apology_docx = _slip_views(
    load=_apology,
    build=lambda request, apology: slips.apology_slip(apology=apology),
    docx_url_name="staff:apology_slip_docx",
)
control_print, control_docx = _slip_views(
    load=_dossier,
    build=lambda request, dossier: slips.control_slip(dossier=dossier),
    docx_url_name="staff:dossier_control_slip_docx",
)


# --- 06 register ------------------------------------------------------------------------


def _register_form(request) -> RegisterFilterForm:
    params = {k: v for k, v in request.GET.items() if k != "trang"}
    if params:
        return RegisterFilterForm(params, user=request.user)
    form = RegisterFilterForm(user=request.user)
    first, last = month_of(form.today)
    form.initial.update({"tu": first, "den": last})
    return form


def _register_heading(request, form: RegisterFilterForm) -> tuple[tuple[str, ...], str]:
    """(issuing body lines, place) of the register: the commune, or the province."""
    chosen = form.cleaned_data.get("xa") if form.is_bound and form.is_valid() else None
    commune = chosen or form.only_commune
    if commune is not None:
        return slips.commune_agency_lines(commune), commune.name
    province = request.user.province
    if province is not None:
        return slips.province_agency_lines(province), province.name
    return (), ""


def _filter_lines(form: RegisterFilterForm) -> list[str]:
    if not (form.is_bound and form.is_valid()):
        return []
    lines = []
    code = form.cleaned_data.get("thu_tuc")
    if code:
        label = dict(form.fields["thu_tuc"].choices).get(code, code)
        lines.append(_("Thủ tục: %(procedure)s") % {"procedure": label})
    state = form.cleaned_data.get("trang_thai")
    if state:
        lines.append(_("Trạng thái: %(state)s") % {"state": Dossier.State(state).label})
    return lines


def _register_document(request, form, dossiers, **kwargs) -> OfficialDocument:
    register = form.register()
    agency, place = _register_heading(request, form)
    counts = register_counts(user=request.user, register=register)["current"]
    return slips.register_document(
        dossiers=dossiers,
        date_from=register.date_from,
        date_to=register.date_to,
        agency_lines=agency,
        place=place,
        counts=counts,
        filters=_filter_lines(form),
        **kwargs,
    )


@staff_required()
def register_print(request):
    _can_view(request.user)
    form = _register_form(request)
    dossiers = register_dossiers(user=request.user, register=form.register())
    page = Paginator(dossiers, REGISTER_PAGE_SIZE).get_page(request.GET.get("trang"))
    document = _register_document(
        request,
        form,
        list(page.object_list),
        first_number=page.start_index() or 1,
        total=page.paginator.count,
    )
    query = urlencode({k: v for k, v in request.GET.items() if k != "trang"})
    suffix = f"?{query}" if query else ""
    context = {
        "doc": document,
        "form": form,
        "page": page,
        "query": query,
        "docx_url": reverse("staff:dossier_register_docx") + suffix,
        "xlsx_url": reverse("staff:dossier_register_xlsx") + suffix,
        "back_url": reverse("staff:dossier_list"),
        "back_label": _("Danh sách hồ sơ"),
        "print_label": _("In sổ"),
        "form_set": current_set(),
    }
    return render(request, REGISTER_TEMPLATE, context)


def _register_all(request) -> OfficialDocument:
    form = _register_form(request)
    dossiers = list(register_dossiers(user=request.user, register=form.register()))
    return _register_document(request, form, dossiers)


@staff_required()
def register_docx(request):
    _can_view(request.user)
    return _docx(_register_all(request))


@staff_required()
def register_xlsx(request):
    _can_view(request.user)
    document = _register_all(request)
    return download_response(
        slips.register_xlsx(document), XLSX_CONTENT_TYPE, f"{document.filename}.xlsx"
    )


for _name in (
    "dossier_receipt_docx",
    "dossier_refusal_slip",
    "dossier_refusal_slip_docx",
    "dossier_control_slip",
    "dossier_control_slip_docx",
):
    register_scoped_view(f"staff:{_name}", Dossier._meta.label)
for _name in ("supplement_slip", "supplement_slip_docx"):
    register_scoped_view(f"staff:{_name}", DossierSupplement._meta.label)
for _name in ("apology_slip", "apology_slip_docx"):
    register_scoped_view(f"staff:{_name}", ApologySlip._meta.label)
