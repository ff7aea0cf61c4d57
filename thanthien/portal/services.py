"""Writes for the public portal."""

from django.db import transaction

from thanthien.places.models import Commune
from thanthien.portal.models import ConductItem
from thanthien.portal.selectors import CONDUCT_GROUP_ORDER, conduct_defaults


@transaction.atomic
def conduct_items_setup(*, commune: Commune) -> int:
    """Copy the default "4 xin, 4 luôn, 5 không" into each group the commune has left empty.

    Idempotent: a group that already has items (the administrator's own wording) is left
    alone, so running it again creates nothing. Returns the number of items created.
    """
    # Lock the commune so two administrators pressing the button at once copy only once.
    Commune.objects.select_for_update().only("pk").get(pk=commune.pk)
    filled = set(
        ConductItem.objects.filter(commune=commune).values_list("group", flat=True).distinct()
    )
    defaults = conduct_defaults()
    items = [
        ConductItem(
            commune=commune, group=group, text=line.text, text_en=line.text_en, order=position
        )
        for group in CONDUCT_GROUP_ORDER
        if group not in filled
        for position, line in enumerate(defaults[group], start=1)
    ]
    for item in items:
        item.full_clean()
        item.save()
    return len(items)
