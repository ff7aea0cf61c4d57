"""Reads about places that pages and reports share."""

from django.db.models import QuerySet

from thanthien.core.text import fold
from thanthien.places.models import Commune, Province


def province_list() -> QuerySet[Province]:
    return Province.objects.order_by("name")


def commune_search(*, query: str = "", province_id: int | None = None) -> QuerySet[Commune]:
    """Communes whose name contains the query, ignoring diacritics and case."""
    qs = Commune.objects.select_related("province")
    if province_id:
        qs = qs.filter(province_id=province_id)
    folded = fold(query)
    if folded:
        qs = qs.filter(search_name__contains=folded)
    return qs.order_by("search_name", "province__name")
