"""Public portal pages: no sign-in, no JavaScript required.

Each view parses the request, calls selectors and renders; the reads live in selectors.py.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from thanthien.core.qr import qr_svg
from thanthien.places import selectors as places_selectors
from thanthien.portal import selectors
from thanthien.portal.selectors import CommunePage

FIND_LIMIT = 50


def _page_or_404(slug: str) -> CommunePage:
    page = selectors.commune_public_page(slug)
    if page is None:
        raise Http404(_("Không có xã, phường nào ở địa chỉ này."))
    return page


def _context(page: CommunePage, section: str, **extra) -> dict:
    return {"commune": page.commune, "profile": page.profile, "section": section, **extra}


def _qr_title(page: CommunePage) -> str:
    return _("Mã QR mở trang thông tin của %(commune)s") % {"commune": page.commune.name}


def find_commune(request):
    query = request.GET.get("q", "").strip()
    province = request.GET.get("province", "")
    province_id = int(province) if province.isdigit() else None
    search = None
    if query or province_id:
        search = selectors.commune_find(query=query, province_id=province_id, limit=FIND_LIMIT)
    context = {
        "query": query,
        "province_id": province_id,
        "provinces": places_selectors.province_list(),
        "search": search,
    }
    return render(request, "portal/find_commune.html", context)


def commune_home(request, slug: str):
    page = _page_or_404(slug)
    slots = selectors.reception_schedule(page.commune)
    context = _context(
        page,
        "home",
        leadership=selectors.commune_leadership(page.commune),
        next_reception=selectors.next_reception(slots),
    )
    return render(request, "portal/commune_home.html", context)


def officials(request, slug: str):
    page = _page_or_404(slug)
    directory = selectors.officials_directory(page.commune)
    return render(
        request, "portal/officials.html", _context(page, "officials", directory=directory)
    )


def reception(request, slug: str):
    page = _page_or_404(slug)
    context = _context(
        page,
        "reception",
        slots=selectors.reception_schedule(page.commune),
        rules=page.profile.reception_rule_lines() if page.profile else [],
    )
    return render(request, "portal/reception.html", context)


def conduct(request, slug: str):
    page = _page_or_404(slug)
    code = selectors.conduct_code(page.commune)
    return render(request, "portal/conduct.html", _context(page, "conduct", code=code))


def conduct_poster(request, slug: str):
    page = _page_or_404(slug)
    code = selectors.conduct_code(page.commune)
    return render(request, "portal/conduct_poster.html", _context(page, "conduct", code=code))


def channels(request, slug: str):
    page = _page_or_404(slug)
    context = _context(page, "channels", channels=selectors.feedback_channels(page.profile))
    return render(request, "portal/channels.html", context)


def qr_poster(request, slug: str):
    page = _page_or_404(slug)
    url = selectors.commune_public_url(page.commune, request=request)
    context = _context(page, "qr", public_url=url, qr=qr_svg(url, scale=10, title=_qr_title(page)))
    return render(request, "portal/qr_poster.html", context)


def commune_qr_svg(request, slug: str):
    page = _page_or_404(slug)
    url = selectors.commune_public_url(page.commune, request=request)
    svg = '<?xml version="1.0" encoding="utf-8"?>\n' + qr_svg(url, scale=20, title=_qr_title(page))
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="ma-qr-{page.commune.slug}.svg"'
    return response
