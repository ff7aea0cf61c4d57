"""Reads the portal pages and the staff dashboard share."""

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _

from thanthien.core import tenancy
from thanthien.portal.models import ReceptionSlot


def reception_days_per_week(*, commune_id: int) -> int:
    """Distinct weekdays with an active reception slot."""
    return (
        ReceptionSlot.objects.filter(commune_id=commune_id, is_active=True)
        .values("weekday")
        .distinct()
        .count()
    )


def reception_warnings(*, user) -> list[str]:
    """A warning per visible commune scheduling fewer reception days a week than the law asks.

    A superuser spans the country and gets none: the warnings belong to each commune's staff.
    """
    if tenancy.visible_commune_ids(user) is None:
        return []
    minimum = settings.THANTHIEN_MIN_RECEPTION_DAYS_PER_WEEK
    days_by_commune = dict(
        tenancy.scope(ReceptionSlot.objects.filter(is_active=True), user)
        .values("commune_id")
        .annotate(days=Count("weekday", distinct=True))
        .values_list("commune_id", "days")
    )
    warnings = []
    for commune in tenancy.visible_communes(user).only("pk", "name"):
        days = days_by_commune.get(commune.pk, 0)
        if days < minimum:
            warnings.append(
                _(
                    "%(commune)s mới có %(days)s ngày tiếp công dân mỗi tuần; Luật Tiếp công dân "
                    "yêu cầu Chủ tịch tiếp công dân ít nhất %(minimum)s ngày mỗi tuần."
                )
                % {"commune": commune.name, "days": days, "minimum": minimum}
            )
    return warnings
