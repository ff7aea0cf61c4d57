"""Public pages of the procedure catalogue on the portal: no sign-in, no JavaScript.

Each view parses the request, calls selectors and renders.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from thanthien.core.qr import qr_svg
from thanthien.onestop import selectors
from thanthien.portal import selectors as portal_selectors
from thanthien.portal.selectors import CommunePage

PAGE_SIZE = 20
SECTION = "procedures"


def _page_or_404(slug: str) -> CommunePage:
    page = portal_selectors.commune_public_page(slug)
    if page is None:
        raise Http404(_("Không có xã, phường nào ở địa chỉ này."))
    return page


def _context(commune_page: CommunePage, **extra) -> dict:
    return {
        "commune": commune_page.commune,
        "profile": commune_page.profile,
        "section": SECTION,
        **extra,
    }


def procedure_list(request, slug: str):
    page = _page_or_404(slug)
    query = request.GET.get("q", "").strip()
    field_code = request.GET.get("field", "").strip()
    procedures = selectors.procedure_public_list(
        commune=page.commune, query=query, field_code=field_code
    )
    results = Paginator(procedures, PAGE_SIZE).get_page(request.GET.get("page"))
    context = _context(
        page,
        query=query,
        field_code=field_code,
        fields=selectors.procedure_fields_in_use(commune=page.commune),
        page=results,
        cards=selectors.procedure_cards(results.object_list),
    )
    return render(request, "onestop/procedure_list.html", context)


def procedure_detail(request, slug: str, code: str):
    page = _page_or_404(slug)
    procedure = selectors.procedure_public_detail(commune=page.commune, code=code)
    if procedure is None:
        raise Http404(_("Xã chưa công bố thủ tục này."))
    url = selectors.procedure_public_url(procedure, request=request)
    title = _("Mã QR mở trang thủ tục %(procedure)s") % {"procedure": procedure.name}
    context = _context(
        page,
        card=selectors.procedure_cards([procedure])[0],
        public_url=url,
        qr=qr_svg(url, scale=6, title=title),
    )
    return render(request, "onestop/procedure_detail.html", context)


def procedure_print(request, slug: str):
    page = _page_or_404(slug)
    procedures = selectors.procedure_print_list(commune=page.commune)
    list_url = selectors.public_url(
        reverse("portal:procedure_list", kwargs={"slug": page.commune.slug}), request=request
    )
    context = _context(page, cards=selectors.procedure_cards(procedures), list_url=list_url)
    return render(request, "onestop/procedure_print.html", context)
