"""Reads about places that pages and reports share."""

from django.db.models import Count, QuerySet, Sum

from thanthien.core import tenancy
from thanthien.core.text import fold
from thanthien.places.models import Commune, Hamlet, Province


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


def hamlet_list(*, user, query: str = "") -> QuerySet[Hamlet]:
    """The hamlets of the user's communes; the query matches name or head, ignoring diacritics."""
    qs = (
        Hamlet.objects.visible_to(user)
        .select_related("commune")
        .order_by("commune__name", "order", "name")
    )
    folded = fold(query)
    if folded:
        # Hamlet names carry no folded copy, and a commune has at most a few hundred hamlets:
        # fold in Python, then filter by id so the result stays a queryset.
        matches = [
            pk
            for pk, name, head_name in qs.values_list("pk", "name", "head_name")
            if folded in fold(name) or folded in fold(head_name)
        ]
        qs = qs.filter(pk__in=matches)
    return qs


def hamlet_totals(hamlets: QuerySet[Hamlet]) -> dict[str, int]:
    """{"hamlets": how many, "households": their household total} in one query."""
    totals = hamlets.order_by().aggregate(hamlets=Count("pk"), households=Sum("household_count"))
    return {"hamlets": totals["hamlets"], "households": totals["households"] or 0}


def shows_several_communes(user) -> bool:
    """True when the user's lists mix communes, so they need a commune column."""
    ids = tenancy.visible_commune_ids(user)
    return ids is None or len(ids) > 1
