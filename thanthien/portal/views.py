"""Public portal pages: no sign-in, no JavaScript required."""

from django.shortcuts import get_object_or_404, render

from thanthien.places import selectors as places_selectors
from thanthien.places.models import Commune


def find_commune(request):
    query = request.GET.get("q", "").strip()
    province = request.GET.get("province", "")
    province_id = int(province) if province.isdigit() else None
    results = None
    if query or province_id:
        results = places_selectors.commune_search(query=query, province_id=province_id)[:100]
    context = {
        "query": query,
        "province_id": province_id,
        "provinces": places_selectors.province_list(),
        "results": results,
    }
    return render(request, "portal/find_commune.html", context)


def commune_home(request, slug: str):
    commune = get_object_or_404(Commune.objects.select_related("province"), slug=slug)
    return render(request, "portal/commune_home.html", {"commune": commune})
