"""Writes about people: default offices of a commune."""

from django.db import transaction

from thanthien.people.models import Office
from thanthien.people.reference_data import read_offices


@transaction.atomic
def commune_offices_setup(*, commune) -> list[Office]:
    """Create the commune's default offices (from data) if missing; idempotent."""
    offices = []
    for row in read_offices():
        office, _ = Office.objects.get_or_create(
            commune=commune,
            name=row["name"],
            defaults={"name_en": row.get("name_en", ""), "order": row.get("order", 100)},
        )
        offices.append(office)
    return offices
