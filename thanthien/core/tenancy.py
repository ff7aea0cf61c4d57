"""Which communes a user may see. Every selector, service and staff page goes through here."""

from django.db.models import QuerySet


def visible_commune_ids(user) -> list[int] | None:
    """Ids of the communes the user may see; None means every commune (superuser)."""
    from thanthien.people.roles import COMMUNE_ROLES, PROVINCE_ROLES
    from thanthien.places.models import Commune

    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return None
    cached = getattr(user, "_visible_commune_ids", None)
    if cached is not None:
        return cached
    if user.role in COMMUNE_ROLES and user.commune_id:
        ids = [user.commune_id]
    elif user.role in PROVINCE_ROLES and user.province_id:
        ids = list(
            Commune.objects.filter(province_id=user.province_id).values_list("pk", flat=True)
        )
    else:
        ids = []
    user._visible_commune_ids = ids
    return ids


def visible_communes(user) -> QuerySet:
    from thanthien.places.models import Commune

    ids = visible_commune_ids(user)
    qs = Commune.objects.select_related("province")
    return qs if ids is None else qs.filter(pk__in=ids)


def can_see_commune(user, commune_id: int | None) -> bool:
    ids = visible_commune_ids(user)
    return ids is None or commune_id in ids


def scope(queryset: QuerySet, user, commune_field: str = "commune") -> QuerySet:
    """Filter any queryset to the user's communes through the given commune path."""
    ids = visible_commune_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{commune_field}__in": ids})


# Reference data shared by every commune (no tenant). Any other model that has no commune
# must be reachable from one; tests/test_tenancy.py walks the rest.
SHARED_REFERENCE_MODELS = frozenset(
    {"places.Province", "people.Position", "core.WorkdayOverride", "onestop.ProcedureField"}
)
